/// Ticket list planning for PostgreSQL (`TicketListPlanning`). The portable conditions as on
/// SQLite; a tag always as the set of its tickets (PostgreSQL's planner picks between a
/// semi-join and probing from its own statistics, the choice SQLite's planner needed made for
/// it); text through `PostgresTextSearch`, a page restricted to its candidates by primary key.
struct PostgresTicketListPlanning: TicketListPlanning {
    func query(_ filter: TicketFilter, viewer: AgentID?, purpose: TicketListPurpose, textMatches: [Int64]?,
               _ db: Connection) throws -> TicketListQuery {
        var query = TicketListQuery()
        try query.addPlainConditions(filter, viewer: viewer)
        if let tag = TicketListQuery.tag(of: filter) { query.addTagSet(tag) }
        if let text = filter.text, let search = TicketSearchText(text) {
            switch purpose {
            case .exact:
                let (condition, bindings) = try PostgresTextSearch.exactCondition(search, db)
                query.add(condition, bindings)
            case .page, .pageCount:
                let ids = try textMatches ?? textCandidates(search, limit: TicketFilter.maxTextMatches, db)
                query.textMatches = ids
                let (condition, bindings) = PostgresTextSearch.candidateCondition(ids)
                query.add(condition, bindings)
            }
        }
        return query
    }

    func textCandidates(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64] {
        try PostgresTextSearch.candidates(search, limit: limit, db)
    }

    func contactIDs(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64] {
        try PostgresTextSearch.contactIDs(search, limit: limit, db)
    }

}
