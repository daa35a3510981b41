import Foundation

/// The other nodes of the desk as heard from here: when each was last heard, and the parts of
/// a full state being received. Pure state: the caller passes the time, which is this node's
/// own (no time crosses between nodes, so their clocks need not agree).
///
/// A full state may take several messages; its parts arrive in order (the bus keeps each
/// sender's order) and are applied together once the last has arrived. A part that is
/// missing, or a new state that starts before the last one ended, discards what was gathered:
/// the next full state, a heartbeat later, replaces it.
public struct PresenceNodes: Sendable {
    /// Limits on what other nodes may make this node hold, each with its reason.
    public struct Limits: Sendable {
        /// A node silent this long is gone: its viewers leave and its typists stop.
        public var silenceSeconds: TimeInterval
        /// Other nodes heard at once; a desk runs a handful, so more is a fault somewhere.
        public var maxNodes: Int
        /// Entries (user and room) held per node: every agent of a node with a few tickets
        /// open each fits many times over; past it a node's extra entries are dropped.
        public var maxEntriesPerNode: Int
        /// Parts of one full state: `maxEntriesPerNode` entries with the longest names (200
        /// four-byte characters, 8 entries a part) take 2,500.
        public var maxStateParts: Int

        public init(silenceSeconds: TimeInterval, maxNodes: Int = 64, maxEntriesPerNode: Int = 20_000, maxStateParts: Int = 3_000) {
            self.silenceSeconds = silenceSeconds
            self.maxNodes = maxNodes
            self.maxEntriesPerNode = maxEntriesPerNode
            self.maxStateParts = maxStateParts
        }
    }

    /// What a part of a full state completes.
    public enum PartResult: Sendable, Equatable {
        /// Gathered; more parts to come.
        case pending
        /// The last part arrived: these entries are the node's whole state, less `dropped`
        /// entries past `maxEntriesPerNode`.
        case complete([PresenceRegistry.NodeEntry], dropped: Int)
        /// Out of order (a part was lost) or past the limits: what was gathered is discarded.
        case discarded
        /// A later part of a state already discarded (or begun before this node listened).
        case ignored
    }

    private struct Gathering: Sendable {
        let generation: UInt64
        let parts: Int
        var next: Int
        var entries: [PresenceRegistry.NodeEntry]
        var dropped = 0
    }

    public let limits: Limits
    private var lastHeard: [String: Date] = [:]
    private var gathering: [String: Gathering] = [:]

    public init(limits: Limits) {
        self.limits = limits
    }

    /// The nodes heard within the silence limit (as of the last `expire`).
    public var nodes: [String] { lastHeard.keys.sorted() }

    /// Records that `node` spoke at `now`. Returns false, and records nothing, for a node
    /// beyond `maxNodes`.
    public mutating func heard(_ node: String, now: Date) -> Bool {
        guard lastHeard[node] != nil || lastHeard.count < limits.maxNodes else { return false }
        lastHeard[node] = now
        return true
    }

    /// Gathers part `part` of `parts` of `node`'s full state number `generation`.
    public mutating func receive(part: Int, of parts: Int, generation: UInt64, entries: [PresenceRegistry.NodeEntry],
                                 from node: String) -> PartResult {
        guard parts >= 1, parts <= limits.maxStateParts, part >= 0, part < parts else {
            gathering[node] = nil
            return .discarded
        }
        var current: Gathering
        if part == 0 {
            current = Gathering(generation: generation, parts: parts, next: 0, entries: [])
        } else if let previous = gathering[node] {
            guard previous.generation == generation, previous.parts == parts, previous.next == part else {
                gathering[node] = nil
                return .discarded
            }
            current = previous
        } else {
            return .ignored
        }
        let room = max(0, limits.maxEntriesPerNode - current.entries.count)
        current.entries += entries.prefix(room)
        current.dropped += max(0, entries.count - room)
        current.next += 1
        if current.next == parts {
            gathering[node] = nil
            return .complete(current.entries, dropped: current.dropped)
        }
        gathering[node] = current
        return .pending
    }

    /// Removes and returns the nodes not heard for more than `silenceSeconds` at `now`.
    public mutating func expire(now: Date) -> [String] {
        let silent = lastHeard.filter { now.timeIntervalSince($0.value) > limits.silenceSeconds }.keys.sorted()
        for node in silent {
            lastHeard[node] = nil
            gathering[node] = nil
        }
        return silent
    }
}
