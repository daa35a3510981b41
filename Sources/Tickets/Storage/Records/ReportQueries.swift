import Foundation

/// The SQL of the reports, each over one period on a reader connection, written once for
/// both databases through `ReportSQL`, which spells the three things they say differently.
/// On SQLite every query reads one of migration 17's covering indexes
/// (`tickets_report_created`, `tickets_report_resolved`), pinned with `INDEXED BY`, as a
/// range scan, so a period costs one pass over its own tickets and no table lookups (the SLA
/// query adds one `sla_state` primary-key lookup per ticket); PostgreSQL's planner picks the
/// same indexes of its migration 1 by itself. Statuses, categories and channels are counted
/// with conditional counts rather than GROUP BY, which would sort every row of the period
/// (measured: half the cost of Trends). Merged tickets (`merged_into_id` set) are left out
/// everywhere; deleted tickets no longer exist.
enum ReportQueries {
    static let activeStatuses = "('open', 'pending', 'in_progress', 'on_hold')"

    static func bounds(_ period: ReportPeriod) -> [SQLValue] { [.date(period.start), .date(period.end)] }

    /// How a dialect spells what the report queries need beyond common SQL.
    struct ReportSQL {
        let dialect: SQLDialect

        init(_ db: Connection) { dialect = db.dialect }

        /// The rows where `condition` holds: SQLite sums the 0/1 condition with `TOTAL`,
        /// PostgreSQL counts with `FILTER`.
        func count(_ condition: String) -> String {
            dialect == .sqlite ? "TOTAL(\(condition))" : "COUNT(*) FILTER (WHERE \(condition))"
        }

        /// `value` summed, 0 over no rows (PostgreSQL's SUM of BIGINT is NUMERIC, and NULL over
        /// no rows, hence the cast and the COALESCE).
        func sum(_ value: String) -> String {
            dialect == .sqlite ? "TOTAL(\(value))" : "CAST(COALESCE(SUM(\(value)), 0) AS BIGINT)"
        }

        /// `table` (with its alias, if any) read through `index`: pinned on SQLite, left to
        /// PostgreSQL's planner.
        func table(_ table: String, indexedBy index: String) -> String {
            dialect == .sqlite ? "\(table) INDEXED BY \(index)" : table
        }

        var created: String { "FROM \(table("tickets", indexedBy: "tickets_report_created")) WHERE created_at >= ? AND created_at < ? AND merged_into_id IS NULL" }
        var resolved: String { "FROM \(table("tickets", indexedBy: "tickets_report_resolved")) WHERE resolved_at >= ? AND resolved_at < ? AND merged_into_id IS NULL" }
    }

    /// Tickets created in `period`: total, still active, and first responses (count, total ms).
    static func created(_ period: ReportPeriod, _ db: Connection) throws -> (total: Int, open: Int, firstResponse: DurationTotal) {
        let q = ReportSQL(db)
        guard let row = try db.first("""
            SELECT COUNT(*), \(q.count("status IN \(activeStatuses)")), COUNT(first_response_at), \(q.sum("first_response_at - created_at"))
            \(q.created)
            """, bounds(period)) else { return (0, 0, DurationTotal()) }
        return (row.int(0), row.int(1), DurationTotal(count: row.int(2), totalMillis: row.int64(3)))
    }

    /// Tickets resolved in `period`: count and total resolution ms.
    static func resolved(_ period: ReportPeriod, _ db: Connection) throws -> DurationTotal {
        let q = ReportSQL(db)
        guard let row = try db.first("SELECT COUNT(*), \(q.sum("resolved_at - created_at")) \(q.resolved)",
                                     bounds(period)) else { return DurationTotal() }
        return DurationTotal(count: row.int(0), totalMillis: row.int64(1))
    }

    /// Tickets created in `period` (one index range count).
    static func createdCount(_ period: ReportPeriod, _ db: Connection) throws -> Int {
        try db.first("SELECT COUNT(*) \(ReportSQL(db).created)", bounds(period))?.int(0) ?? 0
    }

    /// Tickets resolved in `period` (one index range count).
    static func resolvedCount(_ period: ReportPeriod, _ db: Connection) throws -> Int {
        try db.first("SELECT COUNT(*) \(ReportSQL(db).resolved)", bounds(period))?.int(0) ?? 0
    }

    /// Counts of the tickets created in `period` per status, priority, category and channel.
    struct Distribution {
        var status: [String: Int] = [:], priority: [String: Int] = [:], category: [String: Int] = [:], channel: [String: Int] = [:]
    }

    /// One conditional count per value of each column (names from the enums, never input), so
    /// the scan counts every distribution in one pass with no GROUP BY sort: on the benchmark
    /// a sort of 100,000+ rows cost more than the scan itself.
    static let distributionColumns: [(column: String, values: [String])] = [
        ("status", TicketStatus.allCases.map(\.rawValue)), ("priority", TicketPriority.allCases.map(\.rawValue)),
        ("category", TicketCategory.allCases.map(\.rawValue)), ("channel", TicketChannel.allCases.map(\.rawValue)),
    ]

    static func distribution(_ period: ReportPeriod, _ db: Connection) throws -> Distribution {
        let q = ReportSQL(db)
        var result = Distribution()
        let counts = distributionColumns.flatMap { c in c.values.map { q.count("\(c.column) = '\($0)'") } }
        guard let row = try db.first("SELECT \(counts.joined(separator: ", ")) \(q.created)", bounds(period)) else { return result }
        var index = 0
        for (column, values) in distributionColumns {
            for value in values {
                let count = row.int(index)
                index += 1
                switch column {
                case "status": result.status[value] = count
                case "priority": result.priority[value] = count
                case "category": result.category[value] = count
                default: result.channel[value] = count
                }
            }
        }
        return result
    }

    /// Tickets created in `period` per channel (the Channels section alone needs no other count).
    static func createdByChannel(_ period: ReportPeriod, _ db: Connection) throws -> [String: Int] {
        let q = ReportSQL(db)
        let counts = TicketChannel.allCases.map { q.count("channel = '\($0.rawValue)'") }
        guard let row = try db.first("SELECT \(counts.joined(separator: ", ")) \(q.created)", bounds(period)) else { return [:] }
        return Dictionary(uniqueKeysWithValues: TicketChannel.allCases.enumerated().map { ($1.rawValue, row.int($0)) })
    }

    /// Tickets resolved in `period` by current assignee: (assignee, count, total ms).
    static func resolvedByAgent(_ period: ReportPeriod, _ db: Connection) throws -> [(Int64?, DurationTotal)] {
        let q = ReportSQL(db)
        return try db.query("""
            SELECT assignee_id, COUNT(*), \(q.sum("resolved_at - created_at")) \(q.resolved)
            GROUP BY assignee_id
            """, bounds(period)).map { ($0.optionalInt64(0), DurationTotal(count: $0.int(1), totalMillis: $0.int64(2))) }
    }

    /// Tickets resolved in `period` per channel (count, total ms), one pass with no sort.
    static func resolvedByChannel(_ period: ReportPeriod, _ db: Connection) throws -> [String: DurationTotal] {
        let q = ReportSQL(db)
        let columns = TicketChannel.allCases.map {
            "\(q.count("channel = '\($0.rawValue)'")), \(q.sum("CASE WHEN channel = '\($0.rawValue)' THEN resolved_at - created_at END"))"
        }
        guard let row = try db.first("SELECT \(columns.joined(separator: ", ")) \(q.resolved)", bounds(period)) else { return [:] }
        var result: [String: DurationTotal] = [:]
        for (index, channel) in TicketChannel.allCases.enumerated() {
            result[channel.rawValue] = DurationTotal(count: row.int(2 * index), totalMillis: row.int64(2 * index + 1))
        }
        return result
    }

    /// SLA clocks of the tickets created in `period`, per current priority. A GROUP BY here:
    /// 32 conditional sums over the joined rows cost twice the sort on the benchmark.
    static func sla(_ period: ReportPeriod, _ db: Connection) throws -> [SLAComplianceRow] {
        let q = ReportSQL(db)
        return try db.query("""
            SELECT t.priority,
                \(q.count("s.fr_met_at IS NOT NULL OR s.fr_breached_at IS NOT NULL")),
                \(q.count("s.fr_met_at IS NOT NULL AND s.fr_breached_at IS NULL")),
                \(q.count("s.res_met_at IS NOT NULL OR s.res_breached_at IS NOT NULL")),
                \(q.count("s.res_met_at IS NOT NULL AND s.res_breached_at IS NULL")),
                COUNT(s.fr_met_at), \(q.sum("CASE WHEN s.fr_met_at IS NOT NULL THEN s.fr_consumed_ms END")),
                COUNT(s.res_met_at), \(q.sum("CASE WHEN s.res_met_at IS NOT NULL THEN s.res_consumed_ms END"))
            FROM \(q.table("tickets t", indexedBy: "tickets_report_created")) JOIN sla_state s ON s.ticket_id = t.id
            WHERE t.created_at >= ? AND t.created_at < ? AND t.merged_into_id IS NULL
            GROUP BY t.priority
            """, bounds(period)).compactMap { row in
            guard let priority = TicketPriority(rawValue: row.text(0)) else { return nil }
            var result = SLAComplianceRow(priority: priority)
            result.firstResponseDecided = row.int(1)
            result.firstResponseMet = row.int(2)
            result.resolutionDecided = row.int(3)
            result.resolutionMet = row.int(4)
            result.businessFirstResponse = DurationTotal(count: row.int(5), totalMillis: row.int64(6))
            result.businessResolution = DurationTotal(count: row.int(7), totalMillis: row.int64(8))
            return result
        }
    }

    /// Names of agents `ids` (deleted agents are missing).
    static func agentNames(_ ids: [Int64], _ db: Connection) throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var names: [Int64: String] = [:]
        for row in try db.query("SELECT id, name FROM agents WHERE id IN (\(marks))", ids.map { .integer($0) }) {
            names[row.int64(0)] = row.text(1)
        }
        return names
    }

    /// The default SLA policy's time zone name: the account's time zone for reports.
    static func accountTimeZone(_ db: Connection) throws -> String {
        try db.first("SELECT time_zone FROM sla_policies WHERE is_default = 1")?.text(0) ?? "UTC"
    }
}
