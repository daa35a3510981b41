import Foundation

/// Daily roll-ups of the ticket figures (migration 24), kept up to date from the event log by
/// `ReportRollupConsumer`, so a report range reads at most a few hundred rows per day instead
/// of every ticket of the range.
///
/// - `report_facts` holds, per ticket, the values the report figures depend on as they were
///   last applied (creation and resolution instants, status, priority, category, channel,
///   assignee, first response, merged, and the SLA outcomes).
/// - `report_daily` holds, per UTC day, measure and key, a count and a millisecond sum: the
///   sum of the contributions (`contributions`) of every ticket's facts. A created-side
///   measure is dated by the ticket's creation (`created`, `first_response`, `status`,
///   `priority`, `category`, `channel`, `sla_*` keyed by priority), a resolved-side one by its
///   resolution (`resolved`, `agent` keyed by assignee id, `resolved_channel`).
///
/// A contribution is derived from the facts by one SQL text (`contributions`), used alike
/// by the migration's initial fill, the consumer's updates and the read-time correction, and
/// it says what `ReportQueries` counts (tested equal on the hand-computed data set). Days
/// are UTC days, so the table does not depend on the account's time zone: a range's whole UTC
/// days come from here and its partial days at either end from the plain queries.
enum ReportRollup {
    /// The consumer's cursor key in `event_cursors`.
    static let consumer = "reports"
    static let dayMillis: Int64 = 86_400_000
    /// Events past the consumer's cursor a read still corrects for; beyond this (the consumer
    /// is stopped or far behind) the report reads the plain queries instead.
    static let maxPendingEvents = 2_000
    /// Tickets refreshed per statement (SQLite's bound parameters stay far below its limit).
    static let refreshChunk = 500

    static let factColumns = """
        ticket_id, created_at, resolved_at, merged, status, priority, category, channel, assignee_id, first_response_at,
        fr_decided, fr_met, fr_time, res_decided, res_met, res_time
        """

    /// The facts of tickets read from the live tables (append a WHERE on `t`). The SLA
    /// outcomes are `ReportQueries.sla`'s: decided = met or breached; met = met without a
    /// breach; the business time counts when the target was met.
    static let liveFacts = """
        SELECT t.id, t.created_at, t.resolved_at, CASE WHEN t.merged_into_id IS NOT NULL THEN 1 ELSE 0 END,
            t.status, t.priority, t.category, t.channel, t.assignee_id, t.first_response_at,
            CASE WHEN s.fr_met_at IS NOT NULL OR s.fr_breached_at IS NOT NULL THEN 1 ELSE 0 END,
            CASE WHEN s.fr_met_at IS NOT NULL AND s.fr_breached_at IS NULL THEN 1 ELSE 0 END,
            CASE WHEN s.fr_met_at IS NOT NULL THEN s.fr_consumed_ms END,
            CASE WHEN s.res_met_at IS NOT NULL OR s.res_breached_at IS NOT NULL THEN 1 ELSE 0 END,
            CASE WHEN s.res_met_at IS NOT NULL AND s.res_breached_at IS NULL THEN 1 ELSE 0 END,
            CASE WHEN s.res_met_at IS NOT NULL THEN s.res_consumed_ms END
        FROM tickets t LEFT JOIN sla_state s ON s.ticket_id = t.id
        """

    /// Created-side measures: (measure, key, millisecond sum, condition) over a facts row.
    /// Conditions are comparisons (the 0/1 fact columns are integers in both databases).
    static let createdMeasures: [(String, String, String, String)] = [
        ("created", "''", "0", "1 = 1"),
        ("first_response", "''", "first_response_at - created_at", "first_response_at IS NOT NULL"),
        ("status", "status", "0", "1 = 1"), ("priority", "priority", "0", "1 = 1"),
        ("category", "category", "0", "1 = 1"), ("channel", "channel", "0", "1 = 1"),
        ("sla_fr_decided", "priority", "0", "fr_decided = 1"), ("sla_fr_met", "priority", "0", "fr_met = 1"),
        ("sla_fr_time", "priority", "fr_time", "fr_time IS NOT NULL"),
        ("sla_res_decided", "priority", "0", "res_decided = 1"), ("sla_res_met", "priority", "0", "res_met = 1"),
        ("sla_res_time", "priority", "res_time", "res_time IS NOT NULL"),
    ]
    /// Resolved-side measures, counted only for resolved tickets.
    static let resolvedMeasures: [(String, String, String, String)] = [
        ("resolved", "''", "resolved_at - created_at", "1 = 1"),
        ("agent", "COALESCE(CAST(assignee_id AS TEXT), '')", "resolved_at - created_at", "1 = 1"),
        ("resolved_channel", "channel", "resolved_at - created_at", "1 = 1"),
    ]

    /// A SELECT of the contributions `(at, measure, key, n, total)` of the facts rows `source`
    /// yields (a SELECT of `factColumns` in order). Merged tickets contribute nothing.
    static func contributions(_ source: String) -> String {
        let created = createdMeasures.map { measure, key, total, condition in
            "SELECT created_at AS at, '\(measure)' AS measure, \(key) AS key, 1 AS n, \(total) AS total FROM f WHERE merged = 0 AND \(condition)"
        }
        let resolved = resolvedMeasures.map { measure, key, total, condition in
            "SELECT resolved_at, '\(measure)', \(key), 1, \(total) FROM f WHERE merged = 0 AND resolved_at IS NOT NULL AND \(condition)"
        }
        return "WITH f(\(factColumns)) AS MATERIALIZED (\(source))\n" + (created + resolved).joined(separator: "\nUNION ALL ")
    }

    /// Adds (`sign` 1) or removes (-1) the contributions of `source` to `report_daily`.
    static func apply(_ source: String, sign: Int, _ bindings: [SQLValue], _ db: Connection) throws {
        try db.run("""
            INSERT INTO report_daily (day, measure, key, n, total)
            SELECT at / \(dayMillis), measure, key, CAST(\(sign) * SUM(n) AS BIGINT), CAST(\(sign) * SUM(total) AS BIGINT)
            FROM (\(contributions(source))) AS c
            WHERE true GROUP BY 1, 2, 3
            ON CONFLICT (day, measure, key) DO UPDATE SET n = report_daily.n + excluded.n, total = report_daily.total + excluded.total
            """, bindings)
    }

    /// Brings the roll-up of `tickets` up to their current rows: removes what their stored
    /// facts contributed, stores their facts anew (deleted tickets lose theirs), adds what the
    /// new facts contribute. Recomputed from the rows, so running it twice changes nothing.
    static func refresh(_ tickets: [Int64], _ db: Connection) throws {
        for start in stride(from: 0, to: tickets.count, by: refreshChunk) {
            let chunk = Array(tickets[start..<min(start + refreshChunk, tickets.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let ids = chunk.map { SQLValue.integer($0) }
            try apply("SELECT \(factColumns) FROM report_facts WHERE ticket_id IN (\(marks))", sign: -1, ids, db)
            try db.run("DELETE FROM report_facts WHERE ticket_id IN (\(marks))", ids)
            try db.run("INSERT INTO report_facts (\(factColumns)) \(liveFacts) WHERE t.id IN (\(marks))", ids)
            try apply("SELECT \(factColumns) FROM report_facts WHERE ticket_id IN (\(marks))", sign: 1, ids, db)
        }
    }

    /// Fills both tables from the live tickets and puts the consumer's cursor at the log's
    /// head (`fillSQL`), in the caller's write transaction.
    static func fill(_ db: Connection) throws {
        try db.execute(fillSQL)
    }

    /// The SQL that fills both tables from the live tickets and puts the consumer's cursor at
    /// the log's head (migration 24, and `rebuild`).
    static let fillSQL = """
        DELETE FROM report_facts;
        DELETE FROM report_daily;
        INSERT INTO report_facts (\(factColumns)) \(liveFacts);
        INSERT INTO report_daily (day, measure, key, n, total)
            SELECT at / \(dayMillis), measure, key, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT)
            FROM (\(contributions("SELECT \(factColumns) FROM report_facts"))) AS c WHERE true GROUP BY 1, 2, 3;
        INSERT INTO event_cursors (consumer, position, updated_at) SELECT '\(consumer)', COALESCE(MAX(id), 0), 0 FROM events WHERE true
            ON CONFLICT (consumer) DO UPDATE SET position = excluded.position;
        """
}

/// Counts and millisecond sums per measure and key over some days.
struct RollupSums {
    var values: [String: [String: (n: Int64, total: Int64)]] = [:]

    mutating func add(_ measure: String, _ key: String, _ n: Int64, _ total: Int64) {
        let old = values[measure]?[key] ?? (0, 0)
        values[measure, default: [:]][key] = (old.n + n, old.total + total)
    }

    func n(_ measure: String, _ key: String = "") -> Int { Int(values[measure]?[key]?.n ?? 0) }
    func duration(_ measure: String, _ key: String = "") -> DurationTotal {
        let v = values[measure]?[key] ?? (0, 0)
        return DurationTotal(count: Int(v.n), totalMillis: v.total)
    }
    func keys(_ measure: String) -> [String] { values[measure].map { Array($0.keys) } ?? [] }
}

/// The roll-up as one read transaction sees it: usable when the consumer's cursor exists and
/// at most `maxPendingEvents` events follow it. The tickets those events name are corrected
/// for at read time (what they contribute now minus what their stored facts contributed),
/// so a report is exact for its snapshot however far the consumer has got.
struct RollupView {
    let db: Connection
    /// Signed contributions of the pending tickets: (instant ms, measure, key, n, total).
    let pending: [(at: Int64, measure: String, key: String, n: Int64, total: Int64)]

    /// The view, or nil when the roll-up cannot answer for this snapshot.
    static func open(_ db: Connection) throws -> RollupView? {
        guard let cursor = try EventLog.cursor(ReportRollup.consumer, db) else { return nil }
        let batch = try EventLog.read(after: cursor, limit: ReportRollup.maxPendingEvents + 1, db)
        guard batch.unreadable.isEmpty, batch.events.count <= ReportRollup.maxPendingEvents else { return nil }
        let tickets = ReportRollupConsumer.tickets(batch.events)
        guard !tickets.isEmpty else { return RollupView(db: db, pending: []) }
        var pending: [(Int64, String, String, Int64, Int64)] = []
        for start in stride(from: 0, to: tickets.count, by: ReportRollup.refreshChunk) {
            let chunk = Array(tickets[start..<min(start + ReportRollup.refreshChunk, tickets.count)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let ids = chunk.map { SQLValue.integer($0) }
            for (sign, source) in [(Int64(-1), "SELECT \(ReportRollup.factColumns) FROM report_facts WHERE ticket_id IN (\(marks))"),
                                   (1, "\(ReportRollup.liveFacts) WHERE t.id IN (\(marks))")] {
                for row in try db.query("SELECT at, measure, key, n, total FROM (\(ReportRollup.contributions(source))) AS c", ids) {
                    pending.append((row.int64(0), row.text(1), row.text(2), sign * row.int64(3), sign * row.int64(4)))
                }
            }
        }
        return RollupView(db: db, pending: pending)
    }

    /// The sums of `measures` over UTC days `days` (day numbers since 1970), corrected.
    func sums(days: Range<Int64>, measures: [String]) throws -> RollupSums {
        var sums = RollupSums()
        guard !days.isEmpty else { return sums }
        let list = measures.map { "'\($0)'" }.joined(separator: ",")
        for row in try db.query("""
            SELECT measure, key, CAST(SUM(n) AS BIGINT), CAST(SUM(total) AS BIGINT) FROM report_daily
            WHERE day >= ? AND day < ? AND measure IN (\(list)) GROUP BY measure, key
            """, [.integer(days.lowerBound), .integer(days.upperBound)]) {
            sums.add(row.text(0), row.text(1), row.int64(2), row.int64(3))
        }
        let (from, to) = (days.lowerBound * ReportRollup.dayMillis, days.upperBound * ReportRollup.dayMillis)
        let wanted = Set(measures)
        for c in pending where c.at >= from && c.at < to && wanted.contains(c.measure) {
            sums.add(c.measure, c.key, c.n, c.total)
        }
        return sums
    }
}
