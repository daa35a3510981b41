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
        guard let row = try db.first("""
            SELECT COUNT(*), TOTAL(s.rating), \((1...5).map { "TOTAL(s.rating = \($0))" }.joined(separator: ", "))
            \(answeredWhere)
            """, bounds(period)) else { return (RatingTotal(), [0, 0, 0, 0, 0]) }
        return (RatingTotal(count: row.int(0), sum: row.int(1)), (2...6).map { row.int($0) })
    }

    /// Ratings answered in `period` (one index range; for a trend bucket).
    static func ratingTotal(_ period: ReportPeriod, _ db: Connection) throws -> RatingTotal {
        guard let row = try db.first("SELECT COUNT(*), TOTAL(s.rating) \(answeredWhere)", bounds(period)) else { return RatingTotal() }
        return RatingTotal(count: row.int(0), sum: row.int(1))
    }

    /// Ratings answered in `period` per resolving agent (nil: the system, or a deleted agent).
    static func ratingsByAgent(_ period: ReportPeriod, _ db: Connection) throws -> [(Int64?, RatingTotal)] {
        try db.query("SELECT s.resolved_by_agent_id, COUNT(*), TOTAL(s.rating) \(answeredWhere) GROUP BY s.resolved_by_agent_id",
                     bounds(period)).map { ($0.optionalInt64(0), RatingTotal(count: $0.int(1), sum: $0.int(2))) }
    }
}
