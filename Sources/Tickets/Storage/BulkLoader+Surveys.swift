import Foundation

extension BulkLoader {
    /// For the benchmark: answers a CSAT survey for about `percent` % of the resolved
    /// tickets that have none, an hour after the resolution, with ratings skewed to 4 and 5
    /// (1: 5 %, 2: 8 %, 3: 15 %, 4: 32 %, 5: 40 %). Logs no events (like the loader). Returns
    /// how many it added; 0 when answered surveys exist already.
    public static func answerSurveys(percent: Int = 30, _ database: Database) async throws -> Int {
        try await database.write { db in
            guard try db.first("SELECT 1 FROM csat_surveys WHERE rating IS NOT NULL LIMIT 1") == nil else { return 0 }
            return try db.run("""
                INSERT INTO csat_surveys (ticket_id, token_hash, nonce, status, resolved_by_agent_id, created_at, expires_at, rating,
                    answered_at, question)
                SELECT id, randomblob(32), randomblob(16), 'answered', assignee_id, resolved_at, resolved_at + 604800000,
                    CASE WHEN r < 5 THEN 1 WHEN r < 13 THEN 2 WHEN r < 28 THEN 3 WHEN r < 60 THEN 4 ELSE 5 END,
                    resolved_at + 3600000, 'How satisfied are you with the help you received?'
                FROM (SELECT id, assignee_id, resolved_at, abs(random()) % 100 AS r, abs(random()) % 100 AS pick
                      FROM tickets WHERE resolved_at IS NOT NULL AND merged_into_id IS NULL)
                WHERE pick < ?
                """, [.int(percent)])
        }
    }
}
