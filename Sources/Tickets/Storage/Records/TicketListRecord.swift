/// Runs planned ticket lists (`TicketListQuery`, from the connection's `TicketListPlanning`):
/// keyset pages, capped counts and every matching id.
enum TicketListRecord {
    /// Runs one keyset page of `query` in `sort` order after `cursor`; returns the tickets
    /// (with tags) and the cursor after the last one when more rows follow.
    static func page(_ query: TicketListQuery, sort: TicketSort, after cursor: ListCursor?, limit: Int,
                     _ db: Connection) throws -> ([Ticket], ListCursor?) {
        var query = query
        if let cursor {
            let keyset = TicketListPlanner.for(db).keyset(after: cursor)
            query.add(keyset.condition, keyset.bindings)
        }
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

    /// How many tickets `query` matches, reading at most `cap + 1` of them (so the result is
    /// at most `cap + 1`: more than `cap`). The plain count; planners may shortcut it
    /// (`TicketListPlanning.cappedCount`).
    static func cappedCount(_ query: TicketListQuery, cap: Int, _ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM (SELECT 1 \(query.fromClause) \(query.whereClause) LIMIT ?) AS capped",
                     query.bindings + [.int(cap + 1)])?.int(0) ?? 0
    }

    /// The ids of every ticket `query` matches, ascending.
    static func ids(_ query: TicketListQuery, _ db: Connection) throws -> [TicketID] {
        try db.query("SELECT t.id \(query.fromClause) \(query.whereClause) ORDER BY t.id", query.bindings)
            .map { TicketID($0.int64(0)) }
    }

    /// The name of every agent, by id (export columns).
    static func agentNames(_ db: Connection) throws -> [AgentID: String] {
        Dictionary(uniqueKeysWithValues: try db.query("SELECT id, name FROM agents").map { (AgentID($0.int64(0)), $0.text(1)) })
    }

    /// The names of the agents `ids` that exist.
    static func agentNames(_ ids: Set<AgentID>, _ db: Connection) throws -> [AgentID: String] {
        var names: [AgentID: String] = [:]
        for id in ids {
            if let row = try db.first("SELECT name FROM agents WHERE id = ?", [.integer(id.rawValue)]) { names[id] = row.text(0) }
        }
        return names
    }
}
