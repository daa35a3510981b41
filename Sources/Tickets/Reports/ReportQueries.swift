import Foundation

/// The SQL of the reports, each over one period on a reader connection. Every query reads
/// one of migration 17's covering indexes (`tickets_report_created`, `tickets_report_resolved`)
/// as a range scan, so a period costs one pass over its own tickets and no table lookups
/// (the SLA query adds one `sla_state` primary-key lookup per ticket). Merged tickets
/// (`merged_into_id` set) are left out everywhere; deleted tickets no longer exist.
enum ReportQueries {
    static let activeStatuses = "('open', 'pending', 'in_progress', 'on_hold')"

    static func bounds(_ period: ReportPeriod) -> [SQLValue] { [.date(period.start), .date(period.end)] }

    /// Tickets created in `period`: total, still active, and first responses (count, total ms).
    static func created(_ period: ReportPeriod, _ db: Connection) throws -> (total: Int, open: Int, firstResponse: DurationTotal) {
        let row = try db.first("""
            SELECT COUNT(*), TOTAL(status IN \(activeStatuses)), COUNT(first_response_at), TOTAL(first_response_at - created_at)
            FROM tickets INDEXED BY tickets_report_created
            WHERE created_at >= ? AND created_at < ? AND merged_into_id IS NULL
            """, bounds(period))
        guard let row else { return (0, 0, DurationTotal()) }
        return (row.int(0), row.int(1), DurationTotal(count: row.int(2), totalMillis: row.int64(3)))
    }

    /// Tickets resolved in `period`: count and total resolution ms.
    static func resolved(_ period: ReportPeriod, _ db: Connection) throws -> DurationTotal {
        guard let row = try db.first("""
            SELECT COUNT(*), TOTAL(resolved_at - created_at) FROM tickets INDEXED BY tickets_report_resolved
            WHERE resolved_at >= ? AND resolved_at < ? AND merged_into_id IS NULL
            """, bounds(period)) else { return DurationTotal() }
        return DurationTotal(count: row.int(0), totalMillis: row.int64(1))
    }

    /// Tickets created in `period` (one index range count).
    static func createdCount(_ period: ReportPeriod, _ db: Connection) throws -> Int {
        try db.first("""
            SELECT COUNT(*) FROM tickets INDEXED BY tickets_report_created
            WHERE created_at >= ? AND created_at < ? AND merged_into_id IS NULL
            """, bounds(period))?.int(0) ?? 0
    }

    /// Tickets resolved in `period` (one index range count).
    static func resolvedCount(_ period: ReportPeriod, _ db: Connection) throws -> Int {
        try db.first("""
            SELECT COUNT(*) FROM tickets INDEXED BY tickets_report_resolved
            WHERE resolved_at >= ? AND resolved_at < ? AND merged_into_id IS NULL
            """, bounds(period))?.int(0) ?? 0
    }

    /// Tickets created in `period` grouped by status, priority, category and channel:
    /// (status, priority, category, channel, count) rows, at most 6 x 4 x 7 x 5.
    static func createdGroups(_ period: ReportPeriod, _ db: Connection) throws -> [(String, String, String, String, Int)] {
        try db.query("""
            SELECT status, priority, category, channel, COUNT(*) FROM tickets INDEXED BY tickets_report_created
            WHERE created_at >= ? AND created_at < ? AND merged_into_id IS NULL
            GROUP BY status, priority, category, channel
            """, bounds(period)).map { ($0.text(0), $0.text(1), $0.text(2), $0.text(3), $0.int(4)) }
    }

    /// Tickets resolved in `period` by current assignee and channel: (assignee, channel, count, total ms).
    static func resolvedGroups(_ period: ReportPeriod, _ db: Connection) throws -> [(Int64?, String, DurationTotal)] {
        try db.query("""
            SELECT assignee_id, channel, COUNT(*), TOTAL(resolved_at - created_at) FROM tickets INDEXED BY tickets_report_resolved
            WHERE resolved_at >= ? AND resolved_at < ? AND merged_into_id IS NULL
            GROUP BY assignee_id, channel
            """, bounds(period)).map { ($0.optionalInt64(0), $0.text(1), DurationTotal(count: $0.int(2), totalMillis: $0.int64(3))) }
    }

    /// SLA clocks of the tickets created in `period`, per current priority.
    static func sla(_ period: ReportPeriod, _ db: Connection) throws -> [SLAComplianceRow] {
        try db.query("""
            SELECT t.priority,
                TOTAL(s.fr_met_at IS NOT NULL OR s.fr_breached_at IS NOT NULL),
                TOTAL(s.fr_met_at IS NOT NULL AND s.fr_breached_at IS NULL),
                TOTAL(s.res_met_at IS NOT NULL OR s.res_breached_at IS NOT NULL),
                TOTAL(s.res_met_at IS NOT NULL AND s.res_breached_at IS NULL),
                COUNT(s.fr_met_at), TOTAL(CASE WHEN s.fr_met_at IS NOT NULL THEN s.fr_consumed_ms END),
                COUNT(s.res_met_at), TOTAL(CASE WHEN s.res_met_at IS NOT NULL THEN s.res_consumed_ms END)
            FROM tickets t INDEXED BY tickets_report_created JOIN sla_state s ON s.ticket_id = t.id
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
