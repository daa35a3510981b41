/// The full-text part of a list page on SQLite (FTS5), run once per request for the page
/// and its count (`SQLiteTicketListPlanning`).
enum SQLiteTicketSearch {
    /// A prefix with more completions than this in an index stays an FTS5 prefix query.
    static let maxCompletions = 16

    /// The ids a list page's search considers, ascending: the ticket whose reference is the
    /// text, the newest `limit` tickets of each of the newest `TicketSearchText.maxContacts` requesters whose
    /// name or email match, and `newestMatches` for the words. Throws the connection's errors.
    static func candidates(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64] {
        var ids = Set<Int64>()
        if let number = search.number,
           let row = try db.first("SELECT id FROM tickets WHERE number = ?", [.integer(number)]) {
            ids.insert(row.int64(0))
        }
        for contact in try contactIDs(search, limit: TicketSearchText.maxContacts, db) {
            // tickets_requester_updated: the newest `limit` of this requester, no sort.
            let rows = try db.query("""
                SELECT id FROM tickets WHERE requester_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?
                """, [.integer(contact), .int(limit)])
            for row in rows { ids.insert(row.int64(0)) }
        }
        if let words = search.words { ids.formUnion(try newestMatches(words, limit: limit, db)) }
        return ids.sorted()
    }

    /// The newest `limit` contacts whose name or email match (`contact_fts`: its prefix index
    /// answers one to three letters; a longer last word is expanded through the index's
    /// vocabulary like `newestMatches` does, so a prefix shared by thousands of addresses
    /// does not merge all their rows first).
    static func contactIDs(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64] {
        var expression = search.contactExpression
        if let prefix = search.contactVocabularyPrefix,
           let terms = try completions(of: prefix, vocabulary: "contact_fts_terms", db) {
            expression = search.contactExpression(completions: terms)
        }
        guard let expression else { return [] }
        return try db.query("SELECT rowid FROM contact_fts WHERE contact_fts MATCH ? ORDER BY rowid DESC LIMIT ?",
                            [.text(expression), .int(limit)]).map { $0.int64(0) }
    }

    /// The ids of the tickets among the newest `limit` tickets matching `query` and the
    /// tickets of the newest `limit` messages matching it, ascending. FTS5 walks each term's
    /// rows newest first and stops at the limit, so a common word costs about as much as a
    /// rare one. Throws the connection's errors.
    static func newestMatches(_ query: FullTextQuery, limit: Int, _ db: Connection) throws -> [Int64] {
        var selects: [String] = []
        var bindings: [SQLValue] = []
        if let match = try expression(query, vocabulary: "ticket_fts_terms", db) {
            selects.append("SELECT id FROM (SELECT rowid AS id FROM ticket_fts WHERE ticket_fts MATCH ? ORDER BY rowid DESC LIMIT ?)")
            bindings += [.text(match), .int(limit)]
        }
        if let match = try expression(query, vocabulary: "message_fts_terms", db) {
            selects.append("""
                SELECT ticket_id FROM (SELECT m.ticket_id FROM message_fts JOIN messages m ON m.id = message_fts.rowid
                    WHERE message_fts MATCH ? ORDER BY message_fts.rowid DESC LIMIT ?)
                """)
            bindings += [.text(match), .int(limit)]
        }
        guard !selects.isEmpty else { return [] }
        return try db.query(selects.joined(separator: " UNION ") + " ORDER BY 1", bindings).map { $0.int64(0) }
    }

    /// The MATCH expression for one FTS5 table: the prefix expanded into the terms of
    /// `vocabulary` (its `fts5vocab` table) when they are few, nil when none exists.
    private static func expression(_ query: FullTextQuery, vocabulary: String, _ db: Connection) throws -> String? {
        guard let prefix = query.indexPrefix,
              let terms = try completions(of: prefix, vocabulary: vocabulary, db) else { return query.expression }
        return query.expression(completions: terms)
    }

    /// The terms of `vocabulary` starting with `prefix`, or nil when there are more than
    /// `maxCompletions`. One `instance` row per term found: each step seeks the next term
    /// without reading the rows that contain it.
    static func completions(of prefix: String, vocabulary: String, _ db: Connection) throws -> [String]? {
        var terms: [String] = []
        var from = prefix
        while let term = try db.first("SELECT term FROM \(vocabulary) WHERE term >= ? LIMIT 1", [.text(from)])?.text(0),
              term.utf8.starts(with: prefix.utf8) {
            guard terms.count < maxCompletions else { return nil }
            terms.append(term)
            // The smallest text after `term`: terms hold no control characters.
            from = term + "\u{1}"
        }
        return terms
    }
}
