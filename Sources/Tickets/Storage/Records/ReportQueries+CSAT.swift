import Foundation

/// The SQL of the CSAT section. A rating counts in the period it was answered in
/// (`answered_at`), read through migration 19's partial index of answered surveys
/// (`csat_surveys_answered`) plus one row lookup for the rating and the resolving agent, and
/// one ticket lookup so ratings of tickets merged into another count nowhere (like the
/// tickets themselves); ratings of deleted tickets were deleted with them.
extension ReportQueries {
    /// The answered surveys of a period (bounds bound), through `csat_surveys_answered`.
    static func answered(_ q: ReportSQL, from start: String = "?", to end: String = "?") -> String {
        """
        FROM \(q.table("csat_surveys s", indexedBy: "csat_surveys_answered")) JOIN tickets t ON t.id = s.ticket_id
        WHERE s.rating IS NOT NULL AND s.answered_at >= \(start) AND s.answered_at < \(end) AND t.merged_into_id IS NULL
        """
    }

    /// Ratings answered in `period`: the total and the count per score (index 0 holds the 1s).
    static func ratings(_ period: ReportPeriod, _ db: Connection) throws -> (RatingTotal, [Int]) {
        let q = ReportSQL(db)
        guard let row = try db.first("""
            SELECT COUNT(*), \(q.sum("s.rating")), \((1...5).map { q.count("s.rating = \($0)") }.joined(separator: ", "))
            \(answered(q))
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
        var summary = RatingSummary(perBucket: Array(repeating: RatingTotal(), count: buckets.count))
        let ends = buckets.map { SQLDate.millis($0.end) }
        var bucket = 0
        // Bounds are our own integers, written into the SQL; agent ids start at 1, so the
        // COALESCE's 0 can only mean "no agent".
        try db.scanIntegerTriples("""
            SELECT s.answered_at, s.rating, COALESCE(s.resolved_by_agent_id, 0)
            \(answered(ReportSQL(db), from: String(SQLDate.millis(period.start)), to: String(SQLDate.millis(period.end))))
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
        let q = ReportSQL(db)
        return try db.query("SELECT s.resolved_by_agent_id, COUNT(*), \(q.sum("s.rating")) \(answered(q)) GROUP BY s.resolved_by_agent_id",
                            bounds(period)).map { ($0.optionalInt64(0), RatingTotal(count: $0.int(1), sum: $0.int(2))) }
    }
}
