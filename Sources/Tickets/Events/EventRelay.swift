import Foundation
import Synchronization

/// A reader of the event log. The relay hands it every event in log order, in batches, and
/// remembers how far it got (its cursor, stored in `event_cursors` under `name`).
///
/// The relay stores a cursor at most once a `cursorPersistInterval` (and when the relay
/// stops), not after every batch: a cursor write is a write transaction, and one per batch
/// per consumer would multiply the writer's work. After a crash a consumer is therefore
/// handed again what it handled in its last second, so `handle` must be idempotent: the
/// notifications consumer stores a notification at most once per (event, recipient), the SLA
/// scheduler re-reads deadlines, and the live rooms restart at the log's head (what came
/// before is reloaded into the replay buffers, never sent twice). A consumer that must not
/// see an event twice stores its cursor with its effects (`EventLog.advance`) and says so
/// with `storesOwnCursor`.
public protocol EventConsumer: AnyObject, Sendable {
    /// The cursor's key; never change it once deployed (the consumer would start over).
    var name: String { get }
    /// True when `handle` stores the cursor itself (`EventLog.advance`) in its transaction.
    var storesOwnCursor: Bool { get }
    /// Where a consumer that has no cursor yet starts: after the newest event (true), or at
    /// the oldest event still kept (false).
    var startsAtHead: Bool { get }
    /// How long the relay lets events gather after a wake-up before reading them for this
    /// consumer (zero: read at once). For a consumer with a high cost per wake-up whose work
    /// may wait a few milliseconds: under a stream of commits it then handles several at once.
    var gatherDelay: Duration { get }
    /// True for a consumer of this process alone, which every server node runs for itself
    /// (the live rooms): it has no stored cursor. It starts where `EventRelay.start`'s
    /// `positions` says (else at the head) and the relay never stores its position.
    var isNodeLocal: Bool { get }
    /// Handles `events`, in order, and (if `storesOwnCursor`) stores `position` as the cursor.
    /// `position` may be past the last event when unreadable rows were skipped. Throwing
    /// retries the same batch after a pause: a failure never skips an event.
    func handle(_ events: [LoggedEvent], through position: Int64) async throws
}

extension EventConsumer {
    public var storesOwnCursor: Bool { false }
    public var startsAtHead: Bool { true }
    public var gatherDelay: Duration { .zero }
    public var isNodeLocal: Bool { false }
}

/// The one relay of the process: it reads the event log in commit order and feeds each
/// consumer from its own cursor, in its own task, so a slow consumer (email, webhooks)
/// never holds back another (live rooms). Consumers share reads: the newest events read are
/// kept decoded (`Window`) and handed to the consumers that come for them. Woken by every
/// commit that appended events (`Database.eventsCommitted`), and polls every `pollInterval`
/// for commits made by other processes (the CLI). Runs on Swift's task pool, never on an
/// event loop.
public final class EventRelay: Sendable {
    /// Events read and handed over in one batch.
    public static let batchSize = 512
    /// How often a consumer's cursor is stored while it keeps handling events.
    static let cursorPersistInterval: Duration = .seconds(1)
    /// A failed batch is retried after this pause, doubled up to `maxRetryPause`.
    static let firstRetryPause: Duration = .milliseconds(100)
    static let maxRetryPause: Duration = .seconds(5)

    private let database: Database
    private let now: Clock
    private let pollInterval: Duration
    private let log: @Sendable (String) -> Void
    private let state = Mutex<State>(State())

    private struct State {
        var progress: [String: ConsumerProgress] = [:]
        /// The events read last, for the consumers that come for the same part of the log.
        var recent: Window?
        var waiters: [(consumer: String, position: Int64, continuation: CheckedContinuation<Void, Never>)] = []
        var tasks: [Task<Void, Never>] = []
        var stopped = false
    }

    /// What the relay knows of one consumer (for `/metrics` and tests).
    public struct ConsumerProgress: Sendable, Equatable {
        /// The id of the last event the consumer has handled.
        public var position: Int64
        /// Batches that threw and were retried.
        public var failures: Int = 0
        /// Rows skipped because they could not be decoded (logged one by one).
        public var unreadable: Int = 0
        /// Events handed over since start.
        public var delivered: Int = 0
    }

    /// `log` receives one line per failure; `now` dates stored cursors.
    public init(database: Database, now: @escaping Clock, pollInterval: Duration = .seconds(1),
                log: @escaping @Sendable (String) -> Void) {
        self.database = database
        self.now = now
        self.pollInterval = pollInterval
        self.log = log
    }

    /// Starts one task per consumer, each from its stored cursor (see `EventConsumer.startsAtHead`
    /// for a new one), or from `positions[name]` when given (a consumer that rebuilt its state
    /// up to there). A node-local consumer starts from `positions[name]` or the head, and no
    /// cursor is stored for it. Throws if the cursors cannot be read. Call once.
    public func start(_ consumers: [any EventConsumer], positions: [String: Int64] = [:]) async throws {
        let at = now()
        let starts = try await database.write { db in
            let head = try EventLog.head(db)
            let first = (try EventLog.tail(db) ?? head + 1) - 1
            return try consumers.map { consumer -> Int64 in
                if consumer.isNodeLocal { return positions[consumer.name] ?? head }
                if let position = positions[consumer.name] {
                    try EventLog.advance(consumer.name, to: position, at: at, db)
                    return position
                }
                if let stored = try EventLog.cursor(consumer.name, db) { return stored }
                let start = consumer.startsAtHead ? head : first
                try EventLog.advance(consumer.name, to: start, at: at, db)
                return start
            }
        }
        var tasks: [Task<Void, Never>] = []
        for (consumer, start) in zip(consumers, starts) {
            state.withLock { $0.progress[consumer.name] = ConsumerProgress(position: start) }
            tasks.append(Task.detached { [self] in await pump(consumer, from: start) })
        }
        let poll = pollInterval, signal = database.eventsCommitted
        tasks.append(Task.detached { [self] in
            while !isStopped {
                try? await Task.sleep(for: poll)
                signal.signal()
            }
        })
        state.withLock { $0.tasks = tasks }
    }

    /// Stops every consumer after its current batch and waits for them.
    public func stop() async {
        let tasks = state.withLock { state in
            state.stopped = true
            return state.tasks
        }
        database.eventsCommitted.signal()
        for task in tasks {
            task.cancel()
            await task.value
        }
    }

    /// Each consumer's progress, by name.
    public var progress: [String: ConsumerProgress] { state.withLock { $0.progress } }

    /// The id of the newest event in the log.
    public func head() async throws -> Int64 {
        try await database.eventLogHead()
    }

    /// Returns once `consumer` has handled every event up to `position` (at once if it has,
    /// or if the relay is stopped). For read-your-writes: a route that must answer after a
    /// consumer has seen its command (the SLA timer armed for a ticket) waits here.
    public func waitUntil(_ consumer: String, reaches position: Int64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready: Bool = state.withLock { state in
                if state.stopped || (state.progress[consumer]?.position ?? Int64.max) >= position { return true }
                state.waiters.append((consumer, position, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    private var isStopped: Bool { state.withLock { $0.stopped } }

    /// The events after `position`: from the window of events read last when it holds them
    /// (another consumer just read them), else read, decoded and added to the window.
    private func batch(after position: Int64) async throws -> Batch {
        if let kept = state.withLock({ $0.recent?.batch(after: position, limit: Self.batchSize) }) { return kept }
        let seen = database.eventsCommitted.current
        let read = try await database.read { db in try EventLog.read(after: position, limit: Self.batchSize, db) }
        let batch = Batch(after: position, last: read.last, events: read.events, unreadable: read.unreadable, seen: seen,
                          complete: read.events.count + read.unreadable.count < Self.batchSize)
        if batch.last != nil {
            state.withLock { state in
                if state.recent == nil { state.recent = Window(batch) } else { state.recent!.add(batch) }
            }
        }
        return batch
    }

    private func pump(_ consumer: any EventConsumer, from start: Int64) async {
        var cursor = start
        var pause = Self.firstRetryPause
        let signal = database.eventsCommitted
        var stored = start, lastStored = ContinuousClock.now
        // Stores the cursor when it moved and the interval passed (or always, when `force`).
        func storeCursor(force: Bool) async {
            guard !consumer.storesOwnCursor, !consumer.isNodeLocal, cursor != stored,
                  force || ContinuousClock.now - lastStored >= Self.cursorPersistInterval else { return }
            let at = now(), name = consumer.name, position = cursor
            do {
                try await database.write { db in try EventLog.advance(name, to: position, at: at, db) }
                stored = position
                lastStored = ContinuousClock.now
            } catch {
                log("event relay: cannot store the cursor of \(name): \(error)")
            }
        }
        while !isStopped {
            let batch: Batch
            do {
                batch = try await self.batch(after: cursor)
            } catch {
                log("event relay: \(consumer.name) cannot read the log: \(error)")
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, Self.maxRetryPause)
                continue
            }
            guard let last = batch.last else {
                await storeCursor(force: false)
                await signal.wait(after: batch.seen)
                await gather(consumer)
                continue
            }
            for row in batch.unreadable { log("event relay: \(consumer.name) skips \(row)") }
            do {
                try await consumer.handle(batch.events, through: last)
            } catch {
                state.withLock { $0.progress[consumer.name]?.failures += 1 }
                log("event relay: \(consumer.name) failed on events \(cursor + 1)...\(last), retrying: \(error)")
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, Self.maxRetryPause)
                continue
            }
            pause = Self.firstRetryPause
            cursor = last
            await storeCursor(force: false)
            advanced(consumer.name, to: last, delivered: batch.events.count, unreadable: batch.unreadable.count)
            // A complete batch holds everything committed before its read began; when no commit
            // has signalled since, the next read would come back empty, so wait for the next
            // commit instead: one read per wake-up instead of two. `wait` returns at once if a
            // commit came meanwhile.
            if batch.complete {
                await signal.wait(after: batch.seen)
                await gather(consumer)
            }
        }
        await storeCursor(force: true)
        // Nobody waits on a stopped relay.
        advanced(consumer.name, to: Int64.max, delivered: 0, unreadable: 0, stopping: true)
    }

    /// Waits the consumer's `gatherDelay` (returns at once when the relay stops: the task is cancelled).
    private func gather(_ consumer: any EventConsumer) async {
        guard consumer.gatherDelay > .zero, !isStopped else { return }
        try? await Task.sleep(for: consumer.gatherDelay)
    }

    private func advanced(_ name: String, to position: Int64, delivered: Int, unreadable: Int, stopping: Bool = false) {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
            if !stopping {
                state.progress[name]?.position = position
                state.progress[name]?.delivered += delivered
                state.progress[name]?.unreadable += unreadable
            }
            var ready: [CheckedContinuation<Void, Never>] = []
            state.waiters.removeAll { waiter in
                guard waiter.consumer == name, waiter.position <= position || stopping else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }
}
