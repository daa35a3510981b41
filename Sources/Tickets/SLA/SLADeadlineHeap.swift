/// A binary min-heap of (deadline, ticket, generation) packed into 16 bytes per entry:
/// the deadline in milliseconds, and the ticket id (high 40 bits) with the low 24 bits of
/// its `sla_state` generation. No objects, no per-entry allocation.
struct SLADeadlineHeap {
    struct Entry: Equatable {
        /// Milliseconds since 1970.
        var due: Int64
        var key: UInt64

        static let generationBits: UInt64 = 24
        static let generationMask: UInt64 = (1 << generationBits) - 1
        static let maxTicketID: Int64 = 1 << (64 - Int64(generationBits)) - 1

        init(due: Int64, ticket: Int64, generation: Int64) {
            precondition(ticket >= 0 && ticket <= Self.maxTicketID, "ticket id does not fit the packed heap key")
            self.due = due
            key = UInt64(ticket) << Self.generationBits | (UInt64(truncatingIfNeeded: generation) & Self.generationMask)
        }

        var ticket: Int64 { Int64(key >> Self.generationBits) }
        /// The low 24 bits of the generation.
        var generation: UInt32 { UInt32(key & Self.generationMask) }

        /// The low bits of `generation` as kept in an entry.
        static func packed(_ generation: Int64) -> UInt32 {
            UInt32(UInt64(truncatingIfNeeded: generation) & generationMask)
        }
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var top: Entry? { entries.first }

    /// Builds a heap from `entries` in O(n).
    init(_ entries: [Entry] = []) {
        self.entries = entries
        guard entries.count > 1 else { return }
        for index in stride(from: entries.count / 2 - 1, through: 0, by: -1) { siftDown(index) }
    }

    /// Adds an entry in O(log n).
    mutating func push(_ entry: Entry) {
        entries.append(entry)
        siftUp(entries.count - 1)
    }

    /// Removes and returns the earliest entry in O(log n).
    mutating func pop() -> Entry? {
        guard let first = entries.first else { return nil }
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return first
    }

    private static func before(_ a: Entry, _ b: Entry) -> Bool { a.due < b.due || (a.due == b.due && a.key < b.key) }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count, Self.before(entries[left], entries[smallest]) { smallest = left }
            if right < entries.count, Self.before(entries[right], entries[smallest]) { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
