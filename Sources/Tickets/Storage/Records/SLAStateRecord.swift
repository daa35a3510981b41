import Foundation

/// Reads and writes a ticket's `sla_state` row (its `SLAClock`) on the caller's connection.
enum SLAStateRecord {
    static let metricPrefixes = ["fr", "nr", "res"]
    static let metricFields = ["started_at", "consumed_ms", "running_since", "met_at", "warned_at", "breached_at"]
    static let metricColumns = metricPrefixes.flatMap { prefix in metricFields.map { "s.\(prefix)_\($0)" } }
    /// The clock columns plus the ticket's status and priority.
    static let selectList = (["s.policy_id", "t.status", "t.priority"] + metricColumns).joined(separator: ", ")

    /// A stored clock and the generation it was written with.
    struct Stored {
        let clock: SLAClock
        let generation: Int64
    }

    /// The clock of ticket `id`, or nil when it has no SLA.
    static func find(_ id: TicketID, _ db: Connection) throws -> Stored? {
        guard let row = try db.first("""
            SELECT \(selectList), s.generation FROM sla_state s JOIN tickets t ON t.id = s.ticket_id WHERE s.ticket_id = ?
            """, [.integer(id.rawValue)]) else { return nil }
        return Stored(clock: clock(row), generation: row.int64(3 + metricColumns.count))
    }

    /// The clocks of many tickets (one query per page).
    static func clocks(of ids: [TicketID], _ db: Connection) throws -> [TicketID: SLAClock] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var result: [TicketID: SLAClock] = [:]
        for row in try db.query("""
            SELECT \(selectList), s.ticket_id FROM sla_state s JOIN tickets t ON t.id = s.ticket_id
            WHERE s.ticket_id IN (\(marks))
            """, ids.map { .integer($0.rawValue) }) {
            result[TicketID(row.int64(3 + metricColumns.count))] = clock(row)
        }
        return result
    }

    /// The ids of tickets on policy `policy` that are not Resolved or Closed.
    static func activeTickets(on policy: SLAPolicyID, _ db: Connection) throws -> [TicketID] {
        try db.query("""
            SELECT s.ticket_id FROM sla_state s JOIN tickets t ON t.id = s.ticket_id
            WHERE s.policy_id = ? AND t.status NOT IN ('resolved', 'closed') ORDER BY s.ticket_id
            """, [.integer(policy.rawValue)]).map { TicketID($0.int64(0)) }
    }

    /// Writes `clock` for ticket `id` with its status, due times and the next generation;
    /// returns the scheduler entry it implies.
    @discardableResult
    static func save(_ clock: SLAClock, for id: TicketID, policy: SLAPolicy, at now: Date, _ db: Connection) throws
        -> SLADeadline
    {
        let next = clock.nextDeadline(policy: policy)
        let summary = clock.summary(for: id, at: now, policy: policy)
        var values: [SQLValue] = [.integer(id.rawValue), .integer(clock.policyID.rawValue), .text(summary.status.rawValue),
                                  .optional(next.map(SLADeadline.millisRoundedUp)), .date(summary.nearestDueAt)]
        for metric in SLAMetric.allCases {
            let m = clock[metric]
            values += [.date(m.startedAt), .integer(m.consumedMillis), .date(m.runningSince), .date(m.metAt),
                       .date(m.warnedAt), .date(m.breachedAt)]
        }
        let names = metricColumns.map { String($0.dropFirst(2)) }
        let updates = names.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        let row = try db.first("""
            INSERT INTO sla_state (ticket_id, policy_id, sla_status, next_deadline_at, nearest_due_at, \
            \(names.joined(separator: ", ")), generation)
            VALUES (?, ?, ?, ?, ?, \(Array(repeating: "?", count: names.count).joined(separator: ", ")), 1)
            ON CONFLICT (ticket_id) DO UPDATE SET policy_id = excluded.policy_id, sla_status = excluded.sla_status,
                next_deadline_at = excluded.next_deadline_at, nearest_due_at = excluded.nearest_due_at, \(updates),
                generation = sla_state.generation + 1
            RETURNING generation
            """, values)
        return SLADeadline(ticketID: id, dueMillis: next.map(SLADeadline.millisRoundedUp), generation: row?.int64(0) ?? 1)
    }

    private static func clock(_ row: Row) -> SLAClock {
        let fieldCount = metricFields.count
        let metrics = (0..<SLAMetric.allCases.count).map { index -> SLAMetricClock in
            let base = 3 + index * fieldCount
            var m = SLAMetricClock()
            m.startedAt = row.optionalDate(base)
            m.consumedMillis = row.int64(base + 1)
            m.runningSince = row.optionalDate(base + 2)
            m.metAt = row.optionalDate(base + 3)
            m.warnedAt = row.optionalDate(base + 4)
            m.breachedAt = row.optionalDate(base + 5)
            return m
        }
        return SLAClock(policyID: SLAPolicyID(row.int64(0)), priority: TicketPriority(rawValue: row.text(2)) ?? .medium,
                        ticketStatus: TicketStatus(rawValue: row.text(1)) ?? .open, metrics: metrics)
    }

    /// The tickets on `policy` (any status), by id.
    static func tickets(on policy: SLAPolicyID, _ db: Connection) throws -> [TicketID] {
        try db.query("SELECT ticket_id FROM sla_state WHERE policy_id = ?", [.integer(policy.rawValue)]).map { TicketID($0.int64(0)) }
    }

    /// Up to `limit` tickets with an id above `after` that have no clock, by id, with their
    /// status and priority (raw values as stored).
    static func ticketsWithoutClock(after: Int64, limit: Int, _ db: Connection) throws
        -> [(id: TicketID, status: String, priority: String)]
    {
        try db.query("""
            SELECT t.id, t.status, t.priority FROM tickets t
            WHERE t.id > ? AND NOT EXISTS (SELECT 1 FROM sla_state s WHERE s.ticket_id = t.id)
            ORDER BY t.id LIMIT ?
            """, [.integer(after), .int(limit)]).map { (TicketID($0.int64(0)), $0.text(1), $0.text(2)) }
    }

    /// How many clocks wait for a deadline.
    static func pendingDeadlineCount(_ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM sla_state WHERE next_deadline_at IS NOT NULL")?.int(0) ?? 0
    }

    /// Calls `body` with (ticket id, next deadline in ms, generation) of every clock waiting
    /// for a deadline, without keeping rows (one sequential scan for millions of tickets).
    static func scanDeadlines(_ body: (Int64, Int64, Int64) -> Void, _ db: Connection) throws {
        try db.scanIntegerTriples("SELECT ticket_id, next_deadline_at, generation FROM sla_state WHERE next_deadline_at IS NOT NULL",
                                  body)
    }

    /// The scheduler entry of ticket `id` as stored (no row: nothing due, generation 0).
    static func deadline(of id: TicketID, _ db: Connection) throws -> SLADeadline {
        let row = try db.first("SELECT next_deadline_at, generation FROM sla_state WHERE ticket_id = ?", [.integer(id.rawValue)])
        return SLADeadline(ticketID: id, dueMillis: row?.optionalInt64(0), generation: row?.int64(1) ?? 0)
    }
}
