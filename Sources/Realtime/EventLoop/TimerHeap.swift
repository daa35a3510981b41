/// Identifies a scheduled timer so it can be cancelled.
public struct TimerID: Hashable, Sendable {
    let raw: UInt64
}

/// A binary min-heap of deadlines. Cancelled timers are removed lazily when they surface.
struct TimerHeap {
    private struct Entry {
        let deadline: Instant
        let id: UInt64
        let callback: () -> Void
    }

    private var heap: [Entry] = []
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 0

    /// The earliest live deadline, if any.
    var nextDeadline: Instant? {
        mutating get {
            dropCancelledTop()
            return heap.first?.deadline
        }
    }

    /// Adds a timer; `earliest` tells whether it became the first to fire.
    mutating func insert(deadline: Instant, callback: @escaping () -> Void) -> (TimerID, earliest: Bool) {
        nextID += 1
        heap.append(Entry(deadline: deadline, id: nextID, callback: callback))
        siftUp(heap.count - 1)
        return (TimerID(raw: nextID), heap[0].id == nextID)
    }

    mutating func cancel(_ id: TimerID) {
        cancelled.insert(id.raw)
    }

    /// Removes and returns the callback of the earliest timer due at `now`, or nil.
    mutating func popExpired(now: Instant) -> (() -> Void)? {
        dropCancelledTop()
        guard let top = heap.first, top.deadline <= now else { return nil }
        removeTop()
        return top.callback
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, cancelled.contains(top.id) {
            cancelled.remove(top.id)
            removeTop()
        }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
