import Foundation

/// Fires SLA warnings and breaches at their instants. Keeps the next deadline of every
/// running ticket in a packed binary heap keyed by time, with lazy invalidation: a ticket's
/// live generation sits in a dictionary and heap entries of older generations are dropped
/// when they surface. Nothing ever scans all tickets except `load()` at start-up.
///
/// Flow: `load()` once; after each ticket command pass its events to `refresh(after:)`
/// (one indexed read per changed ticket); the timer calls back and `fireDue()` ticks the
/// due tickets' clocks in one write transaction (audit included) and returns the events.
public final class SLAScheduler: @unchecked Sendable {
    private let database: Database
    private let timer: SLATimer
    private let now: Clock
    private let onFire: @Sendable (Result<[SLAEvent], any Error>) -> Void
    private let lock = NSLock()
    private var heap = SLADeadlineHeap()
    /// Ticket id to the packed generation of its one live heap entry.
    private var live: [Int64: UInt32] = [:]
    private var armedAt: Int64?
    private var stats = SLASchedulerStatistics()
    /// Compact when stale entries outnumber live ones by this factor (plus a floor).
    static let compactionFactor = 2
    static let compactionFloor = 1_024

    /// `onFire` receives what each timer-driven `fireDue()` produced (events or the error).
    public init(database: Database, timer: SLATimer, now: @escaping Clock,
                onFire: @escaping @Sendable (Result<[SLAEvent], any Error>) -> Void = { _ in }) {
        self.database = database
        self.timer = timer
        self.now = now
        self.onFire = onFire
    }

    /// Rebuilds the heap from `sla_state` with one sequential query and no per-row objects,
    /// then arms the timer. Returns the number of running tickets.
    @discardableResult
    public func load() async throws -> Int {
        let (entries, generations) = try await database.read { db in
            var entries: [SLADeadlineHeap.Entry] = []
            var generations: [Int64: UInt32] = [:]
            let count = try SLAStateRecord.pendingDeadlineCount(db)
            entries.reserveCapacity(count)
            generations.reserveCapacity(count)
            try SLAStateRecord.scanDeadlines({ ticket, due, generation in
                entries.append(SLADeadlineHeap.Entry(due: due, ticket: ticket, generation: generation))
                generations[ticket] = SLADeadlineHeap.Entry.packed(generation)
            }, db)
            return (entries, generations)
        }
        lock.withLock {
            heap = SLADeadlineHeap(entries)
            live = generations
            stats.loads += 1
            stats.rowsLoaded += entries.count
        }
        rearm()
        return entries.count
    }

    /// Re-reads the deadlines of the tickets named in `events` (deleted ones are dropped).
    public func refresh(after events: [TicketEvent]) async throws {
        var ids: [TicketID] = []
        for event in events {
            switch event {
            case .ticketCreated(let t), .ticketUpdated(let t, _), .statusChanged(let t, _, _), .assigned(let t, _, _),
                 .messageAdded(let t, _):
                ids.append(t.id)
            case .ticketDeleted(let id, _):
                ids.append(id)
            case .merged(let primary, let secondary, _):
                ids += [primary.id, secondary.id]
            case .watchersChanged, .linksChanged, .accessLinkChanged, .ccsChanged, .emailFailed:
                break
            }
        }
        try await refresh(Array(Set(ids)))
    }

    /// Re-reads the deadlines of `ids` (one indexed read each) and updates the heap.
    public func refresh(_ ids: [TicketID]) async throws {
        guard !ids.isEmpty else { return }
        let found = try await database.read { db in
            try ids.map { try SLAStateRecord.deadline(of: $0, db) }
        }
        lock.withLock { stats.rowsRefreshed += ids.count }
        track(found)
    }

    /// Replaces the tracked deadline of each ticket (nil `dueMillis`: stop tracking it).
    public func track(_ deadlines: [SLADeadline]) {
        lock.withLock {
            for deadline in deadlines {
                let id = deadline.ticketID.rawValue
                guard let due = deadline.dueMillis else {
                    live[id] = nil
                    continue
                }
                let entry = SLADeadlineHeap.Entry(due: due, ticket: id, generation: deadline.generation)
                if let current = live[id], Self.isOlder(entry.generation, than: current) { continue }
                live[id] = entry.generation
                heap.push(entry)
            }
            compactIfNeeded()
        }
        rearm()
    }

    /// Ticks every ticket whose deadline has come (none before its instant), writing the
    /// crossings to `sla_state` and the audit log in one transaction; re-tracks their next
    /// deadlines, re-arms the timer and returns the events in deadline order.
    public func fireDue() async throws -> [SLAEvent] {
        let at = now()
        let nowMillis = SLADeadline.millisRoundedUp(at)
        let due: [TicketID] = lock.withLock {
            var due: [TicketID] = []
            while let top = heap.top, top.due <= nowMillis {
                _ = heap.pop()
                guard live[top.ticket] == top.generation else { continue }
                live[top.ticket] = nil
                due.append(TicketID(top.ticket))
            }
            armedAt = nil
            stats.ticketsFired += due.count
            return due
        }
        guard !due.isEmpty else {
            rearm()
            return []
        }
        let (events, deadlines) = try await database.write { db in try Self.tick(due, at: at, db) }
        track(deadlines)
        return events
    }

    /// The live deadlines in order (diagnostics and tests; O(n log n)).
    public func upcoming() -> [(TicketID, Date)] {
        lock.withLock {
            heap.entries.filter { live[$0.ticket] == $0.generation }.sorted { ($0.due, $0.ticket) < ($1.due, $1.ticket) }
                .map { (TicketID($0.ticket), SQLDate.date($0.due)) }
        }
    }

    /// The scheduler's counters.
    public var statistics: SLASchedulerStatistics {
        lock.withLock {
            var copy = stats
            copy.heapEntries = heap.count
            return copy
        }
    }

    /// Ticks the clocks of `ids` at `at`; returns the events and the new deadlines.
    static func tick(_ ids: [TicketID], at: Date, _ db: Connection) throws -> ([SLAEvent], [SLADeadline]) {
        var events: [SLAEvent] = [], deadlines: [SLADeadline] = []
        for id in ids {
            guard var clock = try SLAStateRecord.find(id, db)?.clock else { continue }
            let policy = try SLAPolicyRecord.load(clock.policyID, db)
            let actions = clock.event(.tick, at: at, policy: policy)
            try SLAHooks.audit(actions, ticket: id, db)
            deadlines.append(try SLAStateRecord.save(clock, for: id, policy: policy, at: at, db))
            for action in actions {
                switch action {
                case .warning(let metric, let when): events.append(.warning(id, metric, at: when))
                case .breached(let metric, let when): events.append(.breached(id, metric, at: when))
                case .met: break
                }
            }
        }
        try EventLog.append(events.map(DomainEvent.sla), by: .system, at: at, db)
        return (events, deadlines)
    }

    /// True when packed generation `a` precedes `b` (modulo the packed width: a read that
    /// arrives after a newer one must not bring back an old deadline).
    static func isOlder(_ a: UInt32, than b: UInt32) -> Bool {
        let width = UInt32(SLADeadlineHeap.Entry.generationMask) + 1
        let distance = (b &- a) & (width - 1)
        return distance != 0 && distance < width / 2
    }

    /// Drops stale entries once they dominate the heap (amortised O(1) per push).
    private func compactIfNeeded() {
        guard heap.count > Self.compactionFactor * live.count + Self.compactionFloor else { return }
        heap = SLADeadlineHeap(heap.entries.filter { live[$0.ticket] == $0.generation })
    }

    /// Arms the timer at the earliest live deadline if it differs from the armed one.
    private func rearm() {
        let next: Int64? = lock.withLock {
            while let top = heap.top, live[top.ticket] != top.generation { _ = heap.pop() }
            guard let top = heap.top, top.due != armedAt else { return nil }
            armedAt = top.due
            return top.due
        }
        guard let next else { return }
        timer.schedule(at: SQLDate.date(next)) { [weak self] in
            guard let self else { return }
            self.onFire(await Result(catching: { try await self.fireDue() }))
        }
    }
}

extension Result where Failure == any Error {
    /// The result of an async throwing body.
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
