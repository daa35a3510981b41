import Foundation

/// The report queries of `ReportQueries` in PostgreSQL's dialect: the same functions, the
/// same arguments and results, the same rows counted. Only the spelling differs: a condition
/// is counted with `COUNT(*) FILTER (WHERE ...)` where SQLite sums it with `TOTAL(...)`, a sum
/// is `CAST(COALESCE(SUM(...), 0) AS BIGINT)` (PostgreSQL's SUM of BIGINT is NUMERIC, and NULL
/// over no rows), and there is no `INDEXED BY`: PostgreSQL's planner picks migration 1's
/// covering indexes (`tickets_report_created`, `tickets_report_resolved`) by itself.
/// Used where a report reads `ReportQueries` on a connection whose dialect is `.postgres`.
enum PostgresReportQueries {
    private static let createdWhere = "WHERE created_at >= ? AND created_at < ? AND merged_into_id IS NULL"
    private static let resolvedWhere = "WHERE resolved_at >= ? AND resolved_at < ? AND merged_into_id IS NULL"

    /// `value` summed as a BIGINT, 0 over no rows (SQLite's `TOTAL` of a number).
    static func sum(_ value: String) -> String { "CAST(COALESCE(SUM(\(value)), 0) AS BIGINT)" }
    /// The rows where `condition` holds (SQLite's `TOTAL` of a condition).
    static func count(_ condition: String) -> String { "COUNT(*) FILTER (WHERE \(condition))" }

    /// See `ReportQueries.created`.
    static func created(_ period: ReportPeriod, _ db: Connection) throws -> (total: Int, open: Int, firstResponse: DurationTotal) {
        guard let row = try db.first("""
            SELECT COUNT(*), \(count("status IN \(ReportQueries.activeStatuses)")), COUNT(first_response_at),
                \(sum("first_response_at - created_at"))
            FROM tickets \(createdWhere)
            """, ReportQueries.bounds(period)) else { return (0, 0, DurationTotal()) }
        return (row.int(0), row.int(1), DurationTotal(count: row.int(2), totalMillis: row.int64(3)))
    }

    /// See `ReportQueries.resolved`.
    static func resolved(_ period: ReportPeriod, _ db: Connection) throws -> DurationTotal {
        guard let row = try db.first("SELECT COUNT(*), \(sum("resolved_at - created_at")) FROM tickets \(resolvedWhere)",
                                     ReportQueries.bounds(period)) else { return DurationTotal() }
        return DurationTotal(count: row.int(0), totalMillis: row.int64(1))
    }

    /// See `ReportQueries.createdCount`.
    static func createdCount(_ period: ReportPeriod, _ db: Connection) throws -> Int {
        try db.first("SELECT COUNT(*) FROM tickets \(createdWhere)", ReportQueries.bounds(period))?.int(0) ?? 0
    }

    /// See `ReportQueries.resolvedCount`.
    static func resolvedCount(_ period: ReportPeriod, _ db: Connection) throws -> Int {
        try db.first("SELECT COUNT(*) FROM tickets \(resolvedWhere)", ReportQueries.bounds(period))?.int(0) ?? 0
    }

    static let distributionSQL = """
        SELECT \(ReportQueries.distributionColumns.flatMap { c in c.values.map { count("\(c.column) = '\($0)'") } }
            .joined(separator: ", "))
        FROM tickets \(createdWhere)
        """

    /// See `ReportQueries.distribution` (one pass, one filtered count per value).
    static func distribution(_ period: ReportPeriod, _ db: Connection) throws -> ReportQueries.Distribution {
        var result = ReportQueries.Distribution()
        guard let row = try db.first(distributionSQL, ReportQueries.bounds(period)) else { return result }
        var index = 0
        for (column, values) in ReportQueries.distributionColumns {
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

    /// See `ReportQueries.createdByChannel`.
    static func createdByChannel(_ period: ReportPeriod, _ db: Connection) throws -> [String: Int] {
        guard let row = try db.first("""
            SELECT \(TicketChannel.allCases.map { count("channel = '\($0.rawValue)'") }.joined(separator: ", "))
            FROM tickets \(createdWhere)
            """, ReportQueries.bounds(period)) else { return [:] }
        return Dictionary(uniqueKeysWithValues: TicketChannel.allCases.enumerated().map { ($1.rawValue, row.int($0)) })
    }

    /// See `ReportQueries.resolvedByAgent`.
    static func resolvedByAgent(_ period: ReportPeriod, _ db: Connection) throws -> [(Int64?, DurationTotal)] {
        try db.query("""
            SELECT assignee_id, COUNT(*), \(sum("resolved_at - created_at")) FROM tickets \(resolvedWhere)
            GROUP BY assignee_id
            """, ReportQueries.bounds(period)).map { ($0.optionalInt64(0), DurationTotal(count: $0.int(1), totalMillis: $0.int64(2))) }
    }

    /// See `ReportQueries.resolvedByChannel`.
    static func resolvedByChannel(_ period: ReportPeriod, _ db: Connection) throws -> [String: DurationTotal] {
        let columns = TicketChannel.allCases.map {
            "\(count("channel = '\($0.rawValue)'")), \(sum("CASE WHEN channel = '\($0.rawValue)' THEN resolved_at - created_at END"))"
        }
        guard let row = try db.first("SELECT \(columns.joined(separator: ", ")) FROM tickets \(resolvedWhere)",
                                     ReportQueries.bounds(period)) else { return [:] }
        var result: [String: DurationTotal] = [:]
        for (index, channel) in TicketChannel.allCases.enumerated() {
            result[channel.rawValue] = DurationTotal(count: row.int(2 * index), totalMillis: row.int64(2 * index + 1))
        }
        return result
    }

    /// See `ReportQueries.sla`.
    static func sla(_ period: ReportPeriod, _ db: Connection) throws -> [SLAComplianceRow] {
        try db.query("""
            SELECT t.priority,
                \(count("s.fr_met_at IS NOT NULL OR s.fr_breached_at IS NOT NULL")),
                \(count("s.fr_met_at IS NOT NULL AND s.fr_breached_at IS NULL")),
                \(count("s.res_met_at IS NOT NULL OR s.res_breached_at IS NOT NULL")),
                \(count("s.res_met_at IS NOT NULL AND s.res_breached_at IS NULL")),
                COUNT(s.fr_met_at), \(sum("CASE WHEN s.fr_met_at IS NOT NULL THEN s.fr_consumed_ms END")),
                COUNT(s.res_met_at), \(sum("CASE WHEN s.res_met_at IS NOT NULL THEN s.res_consumed_ms END"))
            FROM tickets t JOIN sla_state s ON s.ticket_id = t.id
            WHERE t.created_at >= ? AND t.created_at < ? AND t.merged_into_id IS NULL
            GROUP BY t.priority
            """, ReportQueries.bounds(period)).compactMap { row in
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

    private static let answeredWhere = """
        FROM csat_surveys s JOIN tickets t ON t.id = s.ticket_id
        WHERE s.rating IS NOT NULL AND s.answered_at >= ? AND s.answered_at < ? AND t.merged_into_id IS NULL
        """

    /// See `ReportQueries.ratings`.
    static func ratings(_ period: ReportPeriod, _ db: Connection) throws -> (RatingTotal, [Int]) {
        guard let row = try db.first("""
            SELECT COUNT(*), \(sum("s.rating")), \((1...5).map { count("s.rating = \($0)") }.joined(separator: ", "))
            \(answeredWhere)
            """, ReportQueries.bounds(period)) else { return (RatingTotal(), [0, 0, 0, 0, 0]) }
        return (RatingTotal(count: row.int(0), sum: row.int(1)), (2...6).map { row.int($0) })
    }

    /// See `ReportQueries.ratingSummary`: the same single pass over the period's ratings.
    static func ratingSummary(_ period: ReportPeriod, buckets: [ReportPeriod], _ db: Connection) throws -> ReportQueries.RatingSummary {
        var summary = ReportQueries.RatingSummary(perBucket: Array(repeating: RatingTotal(), count: buckets.count))
        let ends = buckets.map { SQLDate.millis($0.end) }
        var bucket = 0
        // Bounds are our own integers, written into the SQL; agent ids start at 1, so the
        // COALESCE's 0 can only mean "no agent".
        try db.scanIntegerTriples("""
            SELECT s.answered_at, s.rating, COALESCE(s.resolved_by_agent_id, 0)
            FROM csat_surveys s JOIN tickets t ON t.id = s.ticket_id
            WHERE s.rating IS NOT NULL AND s.answered_at >= \(SQLDate.millis(period.start)) AND s.answered_at < \(SQLDate.millis(period.end))
              AND t.merged_into_id IS NULL
            ORDER BY s.answered_at
            """) { at, rating, agent in
            guard (1...5).contains(rating) else { return }
            let score = Int(rating)
            summary.total.count += 1
            summary.total.sum += score
            summary.distribution[score - 1] += 1
            summary.byAgent[agent == 0 ? nil : agent, default: RatingTotal()].count += 1
            summary.byAgent[agent == 0 ? nil : agent, default: RatingTotal()].sum += score
            while bucket < ends.count, at >= ends[bucket] { bucket += 1 }
            if bucket < ends.count {
                summary.perBucket[bucket].count += 1
                summary.perBucket[bucket].sum += score
            }
        }
        return summary
    }

    /// See `ReportQueries.ratingsByAgent`.
    static func ratingsByAgent(_ period: ReportPeriod, _ db: Connection) throws -> [(Int64?, RatingTotal)] {
        try db.query("SELECT s.resolved_by_agent_id, COUNT(*), \(sum("s.rating")) \(answeredWhere) GROUP BY s.resolved_by_agent_id",
                     ReportQueries.bounds(period)).map { ($0.optionalInt64(0), RatingTotal(count: $0.int(1), sum: $0.int(2))) }
    }
}
