/// Builds the WHERE clause of a ticket list from a filter, with positional bindings.
/// Every user value is bound, never spliced into SQL.
struct TicketQuery {
    /// How the tag and full-text conditions are shaped.
    enum Planning {
        /// Every match, whatever it costs (bulk commands, export).
        case exact
        /// One list page read on this connection: a common tag is probed per row along the sort
        /// index instead of being materialised, and full text considers only the newest
        /// `TicketFilter.maxTextMatches` matching tickets and messages.
        /// A tag on at least `commonTag` tickets is "common": probing it row by row along the
        /// sort index finds a page sooner than collecting and sorting all its tickets. Around
        /// sqrt(page size x table size) the two plans cost the same (about 7,000 for 1M tickets).
        /// The capped count beside a page needs ~`totalCap` matches instead of a page's worth,
        /// so its crossover is sqrt(totalCap x table size): pass `countCommonTag`.
        case page(Connection, commonTag: Int = TicketQuery.pageCommonTag)
    }

    /// The common-tag threshold for a page of 50 over about a million tickets.
    static let pageCommonTag = 5_000
    /// The common-tag threshold for a count capped at 1,000 over about a million tickets.
    static let countCommonTag = 30_000

    /// `FROM ...` naming the tickets as `t`; its bindings come first in `bindings`.
    private(set) var fromClause = "FROM tickets t"
    private(set) var clauses: [String] = []
    /// The tickets a page's full-text condition allows (`FullTextSearch.newestMatches`), nil
    /// without text or with `.exact` planning. Pass them to the next query of the same request.
    private(set) var textMatches: [Int64]?
    private(set) var bindings: [SQLValue] = []
    /// The tag when it is tested row by row (`EXISTS`, a common tag on a page plan).
    private(set) var probedTag: String?

    /// The conditions for `filter` as seen by `viewer` (who `me` is), shaped for `planning`;
    /// `textMatches` from an earlier query of the same request saves a page its text search.
    /// Throws `.validation("assignee")` when `me` is used by a non-agent, `SQLiteError`.
    init(_ filter: TicketFilter, viewer: AgentID?, planning: Planning = .exact, textMatches: [Int64]? = nil) throws {
        addSet("t.status", filter.statuses.map(\.rawValue))
        addSet("t.priority", filter.priorities.map(\.rawValue))
        addSet("t.category", filter.categories.map(\.rawValue))
        addSet("t.channel", filter.channels.map(\.rawValue))
        switch filter.assignee {
        case .none: break
        case .some(.agent(let id)): add("t.assignee_id = ?", [.integer(id.rawValue)])
        case .some(.me):
            guard let viewer else { throw DomainError.validation("assignee", "`me` needs a signed-in agent.") }
            add("t.assignee_id = ?", [.integer(viewer.rawValue)])
        case .some(.unassigned): add("t.assignee_id IS NULL", [])
        case .some(.anyone): add("t.assignee_id IS NOT NULL", [])
        }
        if let tag = filter.tag?.trimmingCharacters(in: .whitespaces).lowercased(), !tag.isEmpty {
            if case .page(let db, let threshold) = planning, try Self.isCommon(tag, threshold: threshold, db) {
                add("EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id AND tt.tag = ?)", [.text(tag)])
                probedTag = tag
            } else {
                add("t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)", [.text(tag)])
            }
        }
        if !filter.slaStatuses.isEmpty { addSLA(filter.slaStatuses) }
        if let requester = filter.requesterID { add("t.requester_id = ?", [.integer(requester.rawValue)]) }
        if let from = filter.createdFrom { add("t.created_at >= ?", [.date(from)]) }
        if let before = filter.createdBefore { add("t.created_at < ?", [.date(before)]) }
        if let from = filter.updatedFrom { add("t.updated_at >= ?", [.date(from)]) }
        if let before = filter.updatedBefore { add("t.updated_at < ?", [.date(before)]) }
        if let text = filter.text, let search = TicketSearchText(text) {
            switch planning {
            case .exact:
                addExact(search)
            case .page(let db, _):
                // At most a few hundred ids drive the query (CROSS JOIN fixes the order):
                // each looked up by primary key, filtered, sorted. With `t.id IN (...)` the
                // planner may walk another filter's index and probe the set row by row instead.
                let ids = try textMatches ?? FullTextSearch.candidates(search, limit: TicketFilter.maxTextMatches, db)
                self.textMatches = ids
                fromClause = "FROM json_each(?) AS text_match CROSS JOIN tickets t ON t.id = text_match.value"
                // The FROM binding precedes every WHERE binding.
                bindings.insert(.text("[" + ids.map(String.init).joined(separator: ",") + "]"), at: 0)
            }
        }
    }

    /// Every ticket the search matches: its reference, its requester, or its words.
    private mutating func addExact(_ search: TicketSearchText) {
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
        add("(" + alternatives.joined(separator: " OR ") + ")", values)
    }

    /// True when `tag` is on at least `threshold` tickets (reads at most that many index entries).
    private static func isCommon(_ tag: String, threshold: Int, _ db: Connection) throws -> Bool {
        let sample = try db.first("SELECT count(*) FROM (SELECT 1 FROM ticket_tags WHERE tag = ? LIMIT ?)",
                                  [.text(tag), .int(threshold)])
        return (sample?.int(0) ?? 0) >= threshold
    }

    /// Adds the keyset condition: rows strictly after `cursor` in its sort order.
    mutating func after(_ cursor: ListCursor) {
        let op = cursor.sort.descending ? "<" : ">"
        add("(\(cursor.sort.field.column), t.id) \(op) (?, ?)", [.integer(cursor.key), .integer(cursor.id)])
    }

    /// `WHERE ...` or an empty string when nothing filters.
    var whereClause: String { clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ") }

    /// Tickets whose stored SLA status is one of `statuses` (`none`: without SLA state),
    /// through the `sla_state(sla_status, ticket_id)` index.
    private mutating func addSLA(_ statuses: Set<SLAStatus>) {
        let stored = statuses.filter { $0 != .none }.map(\.rawValue).sorted()
        var alternatives: [String] = []
        if !stored.isEmpty {
            let marks = Array(repeating: "?", count: stored.count).joined(separator: ", ")
            alternatives.append("t.id IN (SELECT ticket_id FROM sla_state WHERE sla_status IN (\(marks)))")
        }
        if statuses.contains(.none) { alternatives.append("t.id NOT IN (SELECT ticket_id FROM sla_state)") }
        add("(" + alternatives.joined(separator: " OR ") + ")", stored.map { .text($0) })
    }

    private mutating func add(_ clause: String, _ values: [SQLValue]) {
        clauses.append(clause)
        bindings += values
    }

    private mutating func addSet(_ column: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        add("\(column) IN (\(marks))", values.sorted().map { .text($0) })
    }
}
