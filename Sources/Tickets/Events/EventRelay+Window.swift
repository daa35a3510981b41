extension EventRelay {
    /// Events of the log as a read found them, for one consumer.
    struct Batch: Sendable {
        /// The batch holds every readable event in (after, last]; `last` is nil when empty.
        let after: Int64
        let last: Int64?
        let events: [LoggedEvent]
        let unreadable: [EventLog.Unreadable]
        /// The commit signal's generation taken before the read began: a commit after that
        /// changes it, so a consumer waiting on `seen` misses nothing the read did not see.
        let seen: UInt64
        /// The read found every event committed before `seen` (it was not cut at `batchSize`).
        let complete: Bool
    }

    /// The newest events read, decoded, shared by the consumers: after a commit every consumer
    /// wakes at the same place, and one that gathers comes a few milliseconds later for the
    /// last several events; reading and decoding the same rows once per consumer was the
    /// larger part of what a consumer cost per event in a profile.
    ///
    /// Invariant: it holds every readable event in (after, last] and the unreadable rows
    /// there (ids are commit order: a read that saw `last` saw everything before it), and
    /// every event committed before `seen` is in it when `complete`.
    struct Window: Sendable {
        /// Past this many rows the oldest are dropped, down to `keptRows / 2`.
        static let keptRows = 2 * EventRelay.batchSize

        private(set) var after: Int64
        private(set) var last: Int64
        private(set) var events: [LoggedEvent]
        private(set) var unreadable: [EventLog.Unreadable]
        private(set) var seen: UInt64
        private(set) var complete: Bool

        /// A window holding `batch` (nil when the batch is empty).
        init?(_ batch: Batch) {
            guard let last = batch.last else { return nil }
            after = batch.after
            self.last = last
            events = batch.events
            unreadable = batch.unreadable
            seen = batch.seen
            complete = batch.complete
        }

        /// The rows after `position`, at most `limit` of them, or nil when the window does not
        /// hold what follows `position`.
        func batch(after position: Int64, limit: Int) -> Batch? {
            guard after <= position, position < last else { return nil }
            let start = Self.firstIndex(in: events, after: position)
            let laterUnreadable = unreadable.filter { $0.id > position }
            let rows = events.count - start + laterUnreadable.count
            guard rows > limit else {
                return Batch(after: position, last: last, events: Array(events[start...]), unreadable: laterUnreadable,
                             seen: seen, complete: complete)
            }
            // More than one batch: cut at the limit-th row; the consumer reads on at once.
            let cut = (events[start...].map(\.id) + laterUnreadable.map(\.id)).sorted()[limit - 1]
            return Batch(after: position, last: cut, events: events[start...].filter { $0.id <= cut },
                         unreadable: laterUnreadable.filter { $0.id <= cut }, seen: seen, complete: false)
        }

        /// Takes in `batch`, a read made after `batch.after`. A read that starts inside the
        /// window and goes past its end extends it (keeping only what is new); any other read
        /// newer than the window replaces it; an older one changes nothing.
        mutating func add(_ batch: Batch) {
            guard let batchLast = batch.last, batchLast > last else { return }
            guard after <= batch.after, batch.after <= last else {
                if let fresh = Window(batch) { self = fresh }
                return
            }
            let end = last
            events += batch.events.filter { $0.id > end }
            unreadable += batch.unreadable.filter { $0.id > end }
            last = batchLast
            seen = batch.seen
            complete = batch.complete
            trim()
        }

        /// Drops the oldest rows once there are more than `keptRows`, keeping the newest half.
        private mutating func trim() {
            let rows = events.count + unreadable.count
            guard rows > Self.keptRows else { return }
            let drop = rows - Self.keptRows / 2
            let cut = unreadable.isEmpty ? events[drop - 1].id : (events.map(\.id) + unreadable.map(\.id)).sorted()[drop - 1]
            events.removeAll { $0.id <= cut }
            unreadable.removeAll { $0.id <= cut }
            after = cut
        }

        /// The index of the first event with an id above `position` (events are in id order).
        private static func firstIndex(in events: [LoggedEvent], after position: Int64) -> Int {
            var low = 0, high = events.count
            while low < high {
                let middle = (low + high) / 2
                if events[middle].id > position { high = middle } else { low = middle + 1 }
            }
            return low
        }
    }
}
