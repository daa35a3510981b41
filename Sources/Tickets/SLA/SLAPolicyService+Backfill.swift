import Foundation

extension SLAPolicyService {
    /// Tickets whose clocks one backfill transaction starts.
    public static let backfillBatchSize = 10_000

    /// Starts the SLA clock of every ticket that has none, under the default policy, as of
    /// now (a database that predates SLA, or one bulk-loaded without the write path). Runs
    /// in transactions of `backfillBatchSize` tickets, each with the same clock a new ticket
    /// gets (`SLAClock(policy:status:priority:at:)`); not audited. Returns how many clocks it
    /// started (0 without a default policy). The scheduler must `load()` afterwards.
    public func startMissingClocks() async throws -> Int {
        let at = now()
        var started = 0
        var after: Int64 = 0
        while true {
            let cursor = after
            let (count, last) = try await database.write { db -> (Int, Int64?) in
                guard let policy = try SLAPolicyRecord.defaultPolicy(db) else { return (0, nil) }
                let rows = try SLAStateRecord.ticketsWithoutClock(after: cursor, limit: Self.backfillBatchSize, db)
                for row in rows {
                    guard let status = TicketStatus(rawValue: row.status), let priority = TicketPriority(rawValue: row.priority) else {
                        continue
                    }
                    let clock = SLAClock(policy: policy, status: status, priority: priority, at: at)
                    try SLAStateRecord.save(clock, for: row.id, policy: policy, at: at, db)
                }
                return (rows.count, rows.last?.id.rawValue)
            }
            started += count
            guard let last, count == Self.backfillBatchSize else { return started }
            after = last
        }
    }
}
