import Foundation

extension TicketService {
    /// The SLA of ticket `id` at this instant, or nil when no policy applies. Same visibility
    /// as the ticket. Throws `.notFound`, `.forbidden`.
    public func slaSummary(_ id: TicketID, for viewer: Actor) async throws -> SLASummary? {
        let at = now()
        return try await database.read { db in
            _ = try Self.visibleTicket(id, to: viewer, db)
            return try Self.slaSummaries([id], at: at, db)[id]
        }
    }

    /// The SLA summaries of `ids` at this instant; tickets without SLA state are absent.
    /// No visibility check: for rendering tickets the caller already shows (API JSON, live events).
    public func slaSummaries(of ids: [TicketID]) async throws -> [TicketID: SLASummary] {
        guard !ids.isEmpty else { return [:] }
        let at = now()
        return try await database.read { db in try Self.slaSummaries(ids, at: at, db) }
    }

    /// The SLA summaries of `ids` at `at` (one query for the clocks, one per distinct policy).
    static func slaSummaries(_ ids: [TicketID], at: Date, _ db: Connection) throws -> [TicketID: SLASummary] {
        let clocks = try SLAStateRecord.clocks(of: ids, db)
        var policies: [SLAPolicyID: SLAPolicy] = [:]
        var result: [TicketID: SLASummary] = [:]
        for (id, clock) in clocks {
            if policies[clock.policyID] == nil { policies[clock.policyID] = try SLAPolicyRecord.find(clock.policyID, db) }
            guard let policy = policies[clock.policyID] else { continue }
            result[id] = clock.summary(for: id, at: at, policy: policy)
        }
        return result
    }
}
