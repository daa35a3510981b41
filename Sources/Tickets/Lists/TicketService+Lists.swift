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
            let base = try TicketQuery(request.filter, viewer: agent, planning: .page(db))
            let (tickets, next) = try Self.page(base, sort: request.sort, after: cursor, limit: limit, db)
            let sla = try Self.slaSummaries(tickets.map(\.id), at: at, db)
            guard request.includeTotal else { return TicketPage(tickets: tickets, nextCursor: next?.encoded,
                                                                totalCount: nil, totalIsCapped: false, sla: sla) }
            // The count needs ~20x the matches of a page, so a tag counts as common only later.
            let counting = try TicketQuery(request.filter, viewer: agent,
                                           planning: .page(db, commonTag: TicketQuery.countCommonTag),
                                           textMatches: base.textMatches)
            let cap = TicketListRequest.totalCap
            let counted = try Self.recentTagCount(counting, cap: cap, db)
                ?? db.first("SELECT count(*) FROM (SELECT 1 \(counting.fromClause) \(counting.whereClause) LIMIT ?)",
                            counting.bindings + [.int(cap + 1)])?.int(0) ?? 0
            return TicketPage(tickets: tickets, nextCursor: next?.encoded, totalCount: min(counted, cap),
                              totalIsCapped: counted > cap, sla: sla)
        }
    }

    /// The tag's newest tickets a capped count reads first (see `recentTagCount`).
    static let recentTagWindow = 4_000

    /// "More than `cap`" when that shows among the newest `recentTagWindow` tickets of a
    /// common tag combined with other filters; nil otherwise (count the usual way). Active
    /// tickets are the recent ones, so "vip + Open" finds its 1,001 matches walking the tag's
    /// index newest first in about 2 ms, where probing the tag for every Open ticket read
    /// ~6,000 scattered rows (16 ms). Costs at most the window when it does not decide.
    static func recentTagCount(_ counting: TicketQuery, cap: Int, _ db: Connection) throws -> Int? {
        guard let tag = counting.probedTag, counting.clauses.count > 1, counting.textMatches == nil else { return nil }
        let found = try db.first("""
            SELECT count(*) FROM (SELECT 1 FROM (SELECT ticket_id FROM ticket_tags WHERE tag = ? ORDER BY ticket_id DESC LIMIT ?)
                AS recent CROSS JOIN tickets t ON t.id = recent.ticket_id \(counting.whereClause) LIMIT ?)
            """, [.text(tag), .int(recentTagWindow)] + counting.bindings + [.int(cap + 1)])?.int(0) ?? 0
        return found > cap ? found : nil
    }

    /// A page for the preset (`me` is the viewer).
    public func list(preset: TicketPreset, sort: TicketSort = TicketSort(), limit: Int = 50, cursor: String? = nil,
                     for viewer: Actor) async throws -> TicketPage {
        try await list(TicketListRequest(filter: preset.filter, sort: sort, limit: limit, cursor: cursor), for: viewer)
    }

    /// Runs one keyset page; returns the tickets (with tags) and the cursor after the last one
    /// when more rows follow.
    static func page(_ base: TicketQuery, sort: TicketSort, after cursor: ListCursor?, limit: Int,
                     _ db: Connection) throws -> ([Ticket], ListCursor?) {
        var query = base
        if let cursor { query.after(cursor) }
        let direction = sort.descending ? "DESC" : "ASC"
        let rows = try db.query("""
            SELECT \(TicketRecord.aliasedColumns), \(sort.field.column) \(query.fromClause) \(query.whereClause)
            ORDER BY \(sort.field.column) \(direction), t.id \(direction) LIMIT ?
            """, query.bindings + [.int(limit + 1)])
        let pageRows = rows.prefix(limit)
        let ids = pageRows.map { TicketID($0.int64(0)) }
        let tags = try TicketRecord.tags(of: ids, db)
        let tickets = pageRows.map { TicketRecord.ticket($0, tags: tags[TicketID($0.int64(0))] ?? []) }
        guard rows.count > limit, let last = pageRows.last else { return (tickets, nil) }
        return (tickets, ListCursor(sort: sort, key: last.int64(TicketRecord.columnCount), id: last.int64(0)))
    }

    /// The ids of every ticket matching `filter` (for bulk commands on "all matching").
    static func matchingIDs(_ filter: TicketFilter, viewer: AgentID?, _ db: Connection) throws -> [TicketID] {
        let query = try TicketQuery(filter, viewer: viewer)
        return try db.query("SELECT t.id \(query.fromClause) \(query.whereClause) ORDER BY t.id", query.bindings)
            .map { TicketID($0.int64(0)) }
    }
}
