/// Ticket list planning for SQLite's query planner and FTS5 (`TicketListPlanning`).
struct SQLiteTicketListPlanning: TicketListPlanning {
    /// The common-tag threshold for a page of 50 over about a million tickets.
    static let pageCommonTag = 5_000
    /// The common-tag threshold for a count capped at 1,000 over about a million tickets.
    static let countCommonTag = 30_000

    /// A tag on at least this many tickets is "common" for a page: probing it row by row along
    /// the sort index finds a page sooner than collecting and sorting all its tickets. Around
    /// sqrt(page size x table size) the two plans cost the same (about 7,000 for 1M tickets).
    var pageCommonTag = Self.pageCommonTag
    /// The same for the capped count beside a page, which needs ~`totalCap` matches instead
    /// of a page's worth: its crossover is sqrt(totalCap x table size).
    var countCommonTag = Self.countCommonTag

    func query(_ filter: TicketFilter, viewer: AgentID?, purpose: TicketListPurpose, textMatches: [Int64]?,
               _ db: Connection) throws -> TicketListQuery {
        var query = TicketListQuery()
        try query.addPlainConditions(filter, viewer: viewer)
        if let tag = TicketListQuery.tag(of: filter) {
            let threshold: Int? = switch purpose {
            case .exact: nil
            case .page: pageCommonTag
            case .pageCount: countCommonTag
            }
            if let threshold, try Self.isCommon(tag, threshold: threshold, db) {
                query.add("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id AND tt.tag = ?)", [.text(tag)])
                query.probedTag = tag
            } else {
                query.addTagSet(tag)
            }
        }
        if let text = filter.text, let search = TicketSearchText(text) {
            switch purpose {
            case .exact:
                Self.addExact(search, to: &query)
            case .page, .pageCount:
                // At most a few hundred ids drive the query (CROSS JOIN fixes the order):
                // each looked up by primary key, filtered, sorted. With `t.id IN (...)` the
                // planner may walk another filter's index and probe the set row by row instead.
                let ids = try textMatches ?? textCandidates(search, limit: TicketFilter.maxTextMatches, db)
                query.textMatches = ids
                query.fromClause = "FROM json_each(?) AS text_match CROSS JOIN tickets t ON t.id = text_match.value"
                query.fromBindings = [.text("[" + ids.map(String.init).joined(separator: ",") + "]")]
            }
        }
        return query
    }

    func cappedCount(_ query: TicketListQuery, cap: Int, _ db: Connection) throws -> Int {
        try Self.recentTagCount(query, cap: cap, db) ?? TicketListRecord.cappedCount(query, cap: cap, db)
    }

    /// The tag's newest tickets a capped count reads first (see `recentTagCount`).
    static let recentTagWindow = 4_000

    /// "More than `cap`" when that shows among the newest `recentTagWindow` tickets of a
    /// probed tag combined with other filters; nil otherwise (count the usual way). Active
    /// tickets are the recent ones, so "vip + Open" finds its 1,001 matches walking the tag's
    /// index newest first in about 2 ms, where probing the tag for every Open ticket read
    /// ~6,000 scattered rows (16 ms). Costs at most the window when it does not decide.
    static func recentTagCount(_ query: TicketListQuery, cap: Int, _ db: Connection) throws -> Int? {
        guard let tag = query.probedTag, query.conditions.count > 1, query.textMatches == nil else { return nil }
        // CROSS JOIN keeps the tag's newest tickets as the outer loop (SQLite's join order).
        let found = try db.first("""
            SELECT count(*) FROM (SELECT 1 FROM (SELECT ticket_id FROM ticket_tags WHERE tag = ? ORDER BY ticket_id DESC LIMIT ?)
                AS recent CROSS JOIN tickets t ON t.id = recent.ticket_id \(query.whereClause) LIMIT ?)
            """, [.text(tag), .int(recentTagWindow)] + query.whereBindings + [.int(cap + 1)])?.int(0) ?? 0
        return found > cap ? found : nil
    }

    func textCandidates(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64] {
        try SQLiteTicketSearch.candidates(search, limit: limit, db)
    }

    func contactIDs(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64] {
        try SQLiteTicketSearch.contactIDs(search, limit: limit, db)
    }


    /// Every ticket the search matches: its reference, its requester, or its words.
    private static func addExact(_ search: TicketSearchText, to query: inout TicketListQuery) {
        var alternatives: [String] = []
        var values: [SQLValue] = []
        if let number = search.number {
            alternatives.append("t.number = ?")
            values.append(.integer(number))
        }
        if let contacts = search.contactExpression {
            alternatives.append("t.requester_id IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)")
            values.append(.text(contacts))
        }
        if let words = search.words {
            let match = SQLValue.text(words.expression)
            alternatives.append("""
                t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?
                    UNION SELECT m.ticket_id FROM message_fts JOIN messages m ON m.id = message_fts.rowid
                    WHERE message_fts MATCH ?)
                """)
            values += [match, match]
        }
        query.add("(" + alternatives.joined(separator: " OR ") + ")", values)
    }

    /// True when `tag` is on at least `threshold` tickets (reads at most that many index entries).
    private static func isCommon(_ tag: String, threshold: Int, _ db: Connection) throws -> Bool {
        let sample = try db.first("SELECT count(*) FROM (SELECT 1 FROM ticket_tags WHERE tag = ? LIMIT ?)",
                                  [.text(tag), .int(threshold)])
        return (sample?.int(0) ?? 0) >= threshold
    }
}
