/// PostgreSQL's side of ticket search, with the meaning SQLite's FTS5 search has (documented
/// on `TicketListPlanning`): a reference number, a requester's name or email, or words of a
/// ticket's subject and description or of one of its messages.
///
/// Stored text and typed words go through the same two steps: `helpdesk_search_fold` (lower
/// case, accents removed, punctuation made spaces; migration 1) and the `simple` text search
/// parser. The typed pieces are tokenized by the server in one query (`tokens`), so a word is
/// split exactly as the stored text was; the tsquery is then written here from those tokens
/// and bound as one value (`CAST(? AS tsquery)`): user text never reaches the tsquery parser.
/// A piece of several tokens is a phrase (`'e' <-> 'mail'`); on tickets and contacts it must
/// lie within one field (weight A: subject or name; B: description or email), as an FTS5
/// phrase lies within one column. The last word typed is a prefix (`'pri':*`).
enum PostgresTextSearch {
    /// The words of one search as PostgreSQL's parser reads them, each piece's tokens in order.
    /// A piece without tokens (nothing the parser keeps) makes its part match nothing, like an
    /// empty FTS5 phrase.
    struct Tokens: Equatable {
        var terms: [[String]] = []
        var prefix: [String]?
        var contactTerms: [[String]] = []
        var contactPrefix: [String]?
    }

    /// The tokens of `search`'s words and contact words, read in one query.
    /// Throws the connection's errors.
    static func tokens(_ search: TicketSearchText, _ db: Connection) throws -> Tokens {
        let terms = search.words?.terms ?? []
        let prefix = search.words?.prefix.map { [$0] } ?? []
        let contactPrefix = search.contactPrefix.map { [$0] } ?? []
        let pieces = try tokenize(terms + prefix + search.contactTerms + contactPrefix, db)
        var rest = pieces[...]
        func take(_ count: Int) -> [[String]] {
            defer { rest = rest.dropFirst(count) }
            return Array(rest.prefix(count))
        }
        return Tokens(terms: take(terms.count), prefix: take(prefix.count).first,
                      contactTerms: take(search.contactTerms.count), contactPrefix: take(contactPrefix.count).first)
    }

    /// Each of `pieces` as the list of its tokens, in order (repeated words repeated).
    static func tokenize(_ pieces: [String], _ db: Connection) throws -> [[String]] {
        guard !pieces.isEmpty else { return [] }
        let values = Array(repeating: "(CAST(? AS BIGINT), CAST(? AS TEXT))", count: pieces.count).joined(separator: ", ")
        let bindings = pieces.enumerated().flatMap { [SQLValue.int($0.offset), .text($0.element)] }
        var tokens = Array(repeating: [String](), count: pieces.count)
        for row in try db.query("""
            SELECT piece.n, v.lexeme FROM (VALUES \(values)) AS piece(n, input)
            CROSS JOIN LATERAL unnest(to_tsvector('simple', helpdesk_search_fold(piece.input))) AS v(lexeme, positions, weights)
            CROSS JOIN LATERAL unnest(v.positions) AS p(position)
            ORDER BY piece.n, p.position
            """, bindings) {
            tokens[row.int(0)].append(row.text(1))
        }
        return tokens
    }

    /// The tsquery for tickets' `search_vector`: every term and the prefix; a phrase within the
    /// subject or within the description. Nil when there are no words or one has no tokens.
    static func ticketQuery(_ tokens: Tokens) -> String? {
        conjunction(tokens.terms, prefix: tokens.prefix, fields: ["A", "B"])
    }

    /// The tsquery for messages' `search_vector` (one field: the body); nil like `ticketQuery`.
    static func messageQuery(_ tokens: Tokens) -> String? {
        conjunction(tokens.terms, prefix: tokens.prefix, fields: [""])
    }

    /// The tsquery for contacts' `search_vector`: every contact word whole, the last one a
    /// prefix, spread over the name (A) and the email (B) as they come. Nil without words.
    static func contactQuery(_ tokens: Tokens) -> String? {
        conjunction(tokens.contactTerms, prefix: tokens.contactPrefix, fields: ["A", "B"])
    }

    /// `terms` and `prefix` ANDed; a piece of several tokens as a phrase held to one of
    /// `fields` (weight letters; "" for a vector without weights).
    private static func conjunction(_ terms: [[String]], prefix: [String]?, fields: [String]) -> String? {
        let pieces = terms.map { ($0, false) } + (prefix.map { [($0, true)] } ?? [])
        guard !pieces.isEmpty, pieces.allSatisfy({ !$0.0.isEmpty }) else { return nil }
        return pieces.map { tokens, isPrefix in
            if tokens.count == 1 { return lexeme(tokens[0]) + (isPrefix ? ":*" : "") }
            let phrases = fields.map { field in
                tokens.enumerated().map { index, token in
                    let last = index == tokens.count - 1
                    let label = (last && isPrefix ? "*" : "") + field
                    return lexeme(token) + (label.isEmpty ? "" : ":" + label)
                }.joined(separator: " <-> ")
            }
            return "(" + phrases.joined(separator: " | ") + ")"
        }.joined(separator: " & ")
    }

    /// A tsquery lexeme: quoted, with quotes doubled and backslashes escaped (tsquery input).
    static func lexeme(_ token: String) -> String {
        "'" + token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }

    /// The `work_mem` a search's transaction runs with (`raiseWorkMemory`).
    static let searchWorkMemory = "64MB"

    /// Gives the rest of the caller's transaction `searchWorkMemory` (`SET LOCAL`; the
    /// session's own setting returns at COMMIT). A prefix (`error:*`) makes the GIN index
    /// gather every lexeme's rows in one bitmap; past `work_mem` (4 MB by default) the bitmap
    /// keeps whole pages instead of rows, and then every row on those pages holding the
    /// other words must be read and checked. Measured at 1M tickets / 5M messages,
    /// `printer error:*`: 48,247 rows read for 5,499 matches, 365 ms, at 4 MB; 5,499 rows,
    /// 100 ms, at 64 MB. Only a bitmap that large uses the memory, one per reader connection.
    static func raiseWorkMemory(_ db: Connection) throws {
        try db.execute("SET LOCAL work_mem = '\(searchWorkMemory)'")
    }

    /// How many of a table's newest rows a search filters in primary-key order before it asks
    /// the GIN index for every match instead (`newestMatches`).
    static let recentWindow = 20_000
    /// `recentWindow` per match a list page wants (`TicketFilter.maxTextMatches`, 250): a word
    /// in at least 1 row of 80 fills the page from the window.
    static let recentRowsPerMatch = 80

    /// The ids a list page's search considers, ascending (`TicketListPlanning.textCandidates`):
    /// the numbered ticket, the newest `limit` tickets of each of the newest `maxContacts`
    /// matching requesters, the newest `limit` matching tickets and the tickets of the newest
    /// `limit` matching messages. Throws the connection's errors.
    static func candidates(_ search: TicketSearchText, limit: Int, maxContacts: Int = TicketSearchText.maxContacts,
                           window: Int = recentWindow, _ db: Connection) throws -> [Int64] {
        try raiseWorkMemory(db)
        let tokens = try tokens(search, db)
        var ids = Set<Int64>()
        if let number = search.number,
           let row = try db.first("SELECT id FROM tickets WHERE number = ?", [.integer(number)]) {
            ids.insert(row.int64(0))
        }
        for contact in try contactIDs(tokens, limit: maxContacts, window: window, db) {
            let rows = try db.query("""
                SELECT id FROM tickets WHERE requester_id = ? ORDER BY updated_at DESC, id DESC LIMIT ?
                """, [.integer(contact), .int(limit)])
            for row in rows { ids.insert(row.int64(0)) }
        }
        if let tickets = ticketQuery(tokens), let messages = messageQuery(tokens) {
            ids.formUnion(try newestMatches(tickets, in: "tickets", returning: "id", limit: limit, window: window, db))
            ids.formUnion(try newestMatches(messages, in: "messages", returning: "ticket_id", limit: limit, window: window, db))
        }
        return ids.sorted()
    }

    /// The newest `limit` contacts whose name or email match, newest first
    /// (`TicketListPlanning.contactIDs`). Throws the connection's errors.
    static func contactIDs(_ search: TicketSearchText, limit: Int, window: Int = recentWindow, _ db: Connection) throws -> [Int64] {
        guard search.contactPrefix != nil else { return [] }
        try raiseWorkMemory(db)
        return try contactIDs(try tokens(search, db), limit: limit, window: window, db)
    }

    /// The contacts' window is `recentRowsPerMatch` rows per contact wanted (at most `window`):
    /// 1,600 for the 20 a search wants, which a word in 1 contact of 80 fills. A full window
    /// read every contact of the benchmark's 20,000 for a word nobody's name has (5.6 ms),
    /// where the GIN index answers in 0.3 ms; a contacts table is small enough that collecting
    /// every match of a rarer word stays cheap.
    private static func contactIDs(_ tokens: Tokens, limit: Int, window: Int, _ db: Connection) throws -> [Int64] {
        guard let query = contactQuery(tokens) else { return [] }
        return try newestMatches(query, in: "contacts", returning: "id", limit: limit,
                                 window: min(window, limit * recentRowsPerMatch), db)
    }

    /// `column` of the `limit` rows of `table` with the greatest ids whose `search_vector`
    /// matches `query`, greatest id first. Two steps, because PostgreSQL's planner cannot
    /// estimate a prefix or a phrase: left alone it walks the primary key backwards for every
    /// query, which finds a common word's page at once but reads the whole table for a rare
    /// one (measured: 370 ms for a prefix nobody has, 200,000 tickets and 400,000 messages).
    /// So the newest `window` rows are filtered in id order first (about 7 ms for 20,000
    /// messages); only when they hold fewer than `limit` matches is every match collected
    /// through the GIN index (usually cheap then: the word is rare, at least lately) and the
    /// newest kept. The same rows either way. The first step's plan (the primary key read
    /// backwards) does not depend on the planner's estimate of `query`, so it holds under a
    /// prepared statement's generic plan too.
    static func newestMatches(_ query: String, in table: String, returning column: String, limit: Int, window: Int,
                              _ db: Connection) throws -> [Int64] {
        // MATERIALIZED keeps each step's plan to itself; `everything` runs only when its
        // branch's one-time condition holds.
        try db.query("""
            WITH recent AS MATERIALIZED (
                SELECT w.id, w.found FROM (SELECT id, \(column) AS found, search_vector FROM \(table) ORDER BY id DESC LIMIT ?) AS w
                WHERE w.search_vector @@ CAST(? AS tsquery) ORDER BY w.id DESC LIMIT ?),
            everything AS MATERIALIZED (SELECT id, \(column) AS found FROM \(table) WHERE search_vector @@ CAST(? AS tsquery))
            SELECT found FROM (SELECT id, found FROM recent WHERE (SELECT count(*) FROM recent) >= ?
                UNION ALL SELECT id, found FROM (SELECT id, found FROM everything ORDER BY id DESC LIMIT ?) AS older
                    WHERE (SELECT count(*) FROM recent) < ?) AS newest
            ORDER BY id DESC
            """, [.int(window), .text(query), .int(limit), .text(query), .int(limit), .int(limit), .int(limit)]).map { $0.int64(0) }
    }

    /// The condition on tickets `t` that holds for every ticket the search matches (bulk
    /// commands and export: every match, not only the newest), with its bindings.
    /// Throws the connection's errors.
    static func exactCondition(_ search: TicketSearchText, _ db: Connection) throws -> (condition: String, bindings: [SQLValue]) {
        try raiseWorkMemory(db)
        let tokens = try tokens(search, db)
        var alternatives: [String] = []
        var bindings: [SQLValue] = []
        if let number = search.number {
            alternatives.append("t.number = ?")
            bindings.append(.integer(number))
        }
        if let contacts = contactQuery(tokens) {
            alternatives.append("t.requester_id IN (SELECT id FROM contacts WHERE search_vector @@ CAST(? AS tsquery))")
            bindings.append(.text(contacts))
        }
        if let tickets = ticketQuery(tokens), let messages = messageQuery(tokens) {
            alternatives.append("""
                t.id IN (SELECT id FROM tickets WHERE search_vector @@ CAST(? AS tsquery)
                    UNION SELECT ticket_id FROM messages WHERE search_vector @@ CAST(? AS tsquery))
                """)
            bindings += [.text(tickets), .text(messages)]
        }
        // Nothing left to match (every piece lost its tokens): no ticket, as in FTS5.
        guard !alternatives.isEmpty else { return ("1 = 0", []) }
        return ("(" + alternatives.joined(separator: " OR ") + ")", bindings)
    }

    /// The condition restricting tickets `t` to `ids` (a page's candidates), one array binding:
    /// each looked up by primary key, then filtered and sorted.
    static func candidateCondition(_ ids: [Int64]) -> (condition: String, bindings: [SQLValue]) {
        ("t.id = ANY (CAST(? AS BIGINT[]))", [.text("{" + ids.map(String.init).joined(separator: ",") + "}")])
    }
}
