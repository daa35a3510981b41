import Foundation

/// The SQL of the CSAT section. A rating counts in the period it was answered in
/// (`answered_at`), read through migration 19's partial index of answered surveys
/// (`csat_surveys_answered`) plus one row lookup for the rating and the resolving agent, and
/// one ticket lookup so ratings of tickets merged into another count nowhere (like the
/// tickets themselves); ratings of deleted tickets were deleted with them.
extension ReportQueries {
    static let answeredWhere = """
        FROM csat_surveys s INDEXED BY csat_surveys_answered JOIN tickets t ON t.id = s.ticket_id
        WHERE s.rating IS NOT NULL AND s.answered_at >= ? AND s.answered_at < ? AND t.merged_into_id IS NULL
        """

    /// Ratings answered in `period`: the total and the count per score (index 0 holds the 1s).
    static func ratings(_ period: ReportPeriod, _ db: Connection) throws -> (RatingTotal, [Int]) {
        if db.dialect == .postgres { return try PostgresReportQueries.ratings(period, db) }
        guard let row = try db.first("""
            SELECT COUNT(*), TOTAL(s.rating), \((1...5).map { "TOTAL(s.rating = \($0))" }.joined(separator: ", "))
            \(answeredWhere)
            """, bounds(period)) else { return (RatingTotal(), [0, 0, 0, 0, 0]) }
        return (RatingTotal(count: row.int(0), sum: row.int(1)), (2...6).map { row.int($0) })
    }

    /// The ratings answered in `period`, summed in one pass over them: the total, per score,
    /// per resolving agent, and per bucket of `buckets` (consecutive sub-periods, in order).
    /// The CSAT section needs all four; four queries would read every rating four times.
    struct RatingSummary {
        var total = RatingTotal()
        var distribution = [0, 0, 0, 0, 0]
        var byAgent: [Int64?: RatingTotal] = [:]
        var perBucket: [RatingTotal]
    }

    static func ratingSummary(_ period: ReportPeriod, buckets: [ReportPeriod], _ db: Connection) throws -> RatingSummary {
        if db.dialect == .postgres { return try PostgresReportQueries.ratingSummary(period, buckets: buckets, db) }
        var summary = RatingSummary(perBucket: Array(repeating: RatingTotal(), count: buckets.count))
        let ends = buckets.map { SQLDate.millis($0.end) }
        var bucket = 0
        // Bounds are our own integers, written into the SQL; agent ids start at 1, so the
        // COALESCE's 0 can only mean "no agent".
        try db.scanIntegerTriples("""
            SELECT s.answered_at, s.rating, COALESCE(s.resolved_by_agent_id, 0)
            FROM csat_surveys s INDEXED BY csat_surveys_answered JOIN tickets t ON t.id = s.ticket_id
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

    /// Ratings answered in `period` per resolving agent (nil: the system, or a deleted agent).
    static func ratingsByAgent(_ period: ReportPeriod, _ db: Connection) throws -> [(Int64?, RatingTotal)] {
        if db.dialect == .postgres { return try PostgresReportQueries.ratingsByAgent(period, db) }
        return try db.query("SELECT s.resolved_by_agent_id, COUNT(*), TOTAL(s.rating) \(answeredWhere) GROUP BY s.resolved_by_agent_id",
                     bounds(period)).map { ($0.optionalInt64(0), RatingTotal(count: $0.int(1), sum: $0.int(2))) }
    }
}
