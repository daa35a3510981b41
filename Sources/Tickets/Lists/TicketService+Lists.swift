import Foundation

extension TicketService {
    /// One page of tickets matching `request.filter`, sorted, after `request.cursor`
    /// (keyset pagination: no duplicates or gaps while paging). Needs `ticket.view`.
    /// Throws `.validation("cursor")` for a cursor of another sort, `.forbidden`.
    public func list(_ request: TicketListRequest, for viewer: Actor) async throws -> TicketPage {
        try require(.ticketView, for: viewer)
        let cursor = try request.cursor.map { try ListCursor.decode($0, for: request.sort) }
        let limit = min(max(request.limit, 1), TicketListRequest.maxLimit)
        let agent = viewer.agentID
        let at = now()
        return try await database.read { db in
            let planner = TicketListPlanner.for(db)
            let base = try planner.query(request.filter, viewer: agent, purpose: .page, textMatches: nil, db)
            let (tickets, next) = try TicketListRecord.page(base, sort: request.sort, after: cursor, limit: limit, db)
            let sla = try Self.slaSummaries(tickets.map(\.id), at: at, db)
            guard request.includeTotal else { return TicketPage(tickets: tickets, nextCursor: next?.encoded,
                                                                totalCount: nil, totalIsCapped: false, sla: sla) }
            let counting = try planner.query(request.filter, viewer: agent, purpose: .pageCount,
                                             textMatches: base.textMatches, db)
            let cap = TicketListRequest.totalCap
            let counted = try planner.cappedCount(counting, cap: cap, db)
            return TicketPage(tickets: tickets, nextCursor: next?.encoded, totalCount: min(counted, cap),
                              totalIsCapped: counted > cap, sla: sla)
        }
    }

    /// A page for the preset (`me` is the viewer).
    public func list(preset: TicketPreset, sort: TicketSort = TicketSort(), limit: Int = 50, cursor: String? = nil,
                     for viewer: Actor) async throws -> TicketPage {
        try await list(TicketListRequest(filter: preset.filter, sort: sort, limit: limit, cursor: cursor), for: viewer)
    }

    /// The ids of every ticket matching `filter` (for bulk commands on "all matching").
    static func matchingIDs(_ filter: TicketFilter, viewer: AgentID?, _ db: Connection) throws -> [TicketID] {
        let query = try TicketListPlanner.for(db).query(filter, viewer: viewer, purpose: .exact, textMatches: nil, db)
        return try TicketListRecord.ids(query, db)
    }
}
