/// What a ticket list query is for: its purpose decides how the planner may shape it.
enum TicketListPurpose: Sendable, Equatable {
    /// Every ticket that matches, whatever it costs (bulk commands on "all matching", exports).
    case exact
    /// One list page (at most `TicketListRequest.maxLimit` rows, sorted, keyset-paged).
    /// A text condition considers only the page's text candidates (`textCandidates`).
    case page
    /// The count beside a list page, capped at `TicketListRequest.totalCap`: the same
    /// matches as `.page` (pass the page's `textMatches`), read up to the cap.
    case pageCount
}

/// A planned ticket list: the `FROM` and `WHERE` text of one query over the tickets, with its
/// positional bindings. The FROM clause names the tickets table `t` (callers select
/// `t.<column>` and order by `t.<sort column>, t.id`). Every user value is bound, never spliced.
struct TicketListQuery: Sendable {
    /// `FROM ...` naming the tickets `t`; `fromBindings` bind its placeholders.
    var fromClause = "FROM tickets t"
    var fromBindings: [SQLValue] = []
    /// The conditions, all required (joined with AND), and their bindings in order.
    private(set) var conditions: [String] = []
    private(set) var whereBindings: [SQLValue] = []
    /// The ticket ids a page's text condition allows (the planner's `textCandidates`), nil
    /// without text or for `.exact`. Pass them to the count of the same request.
    var textMatches: [Int64]?
    /// The tag when the plan tests it row by row for each ticket (SQLite, a common tag on a
    /// page): its capped count may then read the tag's newest tickets first. Nil when the
    /// planner collects the tag's tickets up front or has no tag.
    var probedTag: String?

    /// `WHERE ...`, or an empty string when nothing filters.
    var whereClause: String { conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ") }

    /// Every binding in statement order: the FROM clause's, then the WHERE clause's.
    var bindings: [SQLValue] { fromBindings + whereBindings }

    /// Adds one required condition with its bindings.
    mutating func add(_ condition: String, _ values: [SQLValue]) {
        conditions.append(condition)
        whereBindings += values
    }
}

/// The database-specific planning of ticket lists and ticket search, chosen by the
/// connection's dialect (`TicketListPlanner.for(_:)`: SQLite in `Storage/SQLite/`, PostgreSQL
/// in `Storage/Postgres/`). Services never write list SQL: they
/// ask a planner for a `TicketListQuery` and run it through `TicketListRecord`.
///
/// Every implementation MUST give the same answers (same ticket ids, same contact ids) for
/// the same data; only the shape of the SQL may differ. The meaning of a search text
/// (`TicketSearchText`) is:
/// - a ticket matches when ANY of three readings matches: (1) the whole text is a reference
///   number (`TicketSearchText.number`) equal to `tickets.number`; (2) its requester matches
///   the text as a contact (below); (3) its subject or description, or the body of one of
///   its messages (replies, notes and system messages alike), matches the words
///   (`TicketSearchText.words`, a `FullTextQuery`).
/// - Words (`FullTextQuery`): text is split into tokens at every character that is not a
///   letter or digit and compared case-insensitively and without diacritics (SQLite: FTS5's
///   `unicode61 remove_diacritics 2` tokenizer). Each of `FullTextQuery.terms` is split the
///   same way and its tokens must occur consecutively in one field (one token: a whole
///   word; several: a phrase, so `e-mail` is `e` followed by `mail`). `FullTextQuery.prefix`,
///   when present, likewise, except that its last token only has to START a token. All of
///   them must match within the same indexed row: one ticket (subject and description; a
///   phrase within one of the two) or one message body.
/// - Contacts: every word of `TicketSearchText.contactTerms` (letters and digits only) is a
///   whole token of the contact's name or email (same tokenizer), and `contactPrefix` starts
///   one of its tokens; the words may be spread over the name and the email.
///
/// Ordering and limits are the caller's (`TicketListRecord`: `ORDER BY <sort column>, t.id`,
/// `LIMIT`); a planner only decides which tickets qualify.
protocol TicketListPlanning: Sendable {
    /// The query for `filter` as seen by `viewer` (who `.me` is), shaped for `purpose`:
    /// - statuses, priorities, categories, channels: the ticket's value is in the set;
    ///   assignee: equal to the agent / the viewer / NULL / not NULL; tag (trimmed,
    ///   lower-cased, ignored when empty): the ticket has it in `ticket_tags`; requester:
    ///   equal; created/updated from (inclusive) and before (exclusive), milliseconds;
    ///   SLA statuses: the ticket's `sla_state.sla_status` is in the set, `.none` matching
    ///   tickets without an `sla_state` row.
    /// - text: for `.exact`, every ticket the text matches (see the type's documentation);
    ///   for `.page` and `.pageCount`, only the tickets among `textMatches` when given, else
    ///   among `textCandidates(search, limit: TicketFilter.maxTextMatches)`, stored in the
    ///   result's `textMatches`.
    /// Throws `.validation("assignee")` when `.me` is used without an agent viewer, and the
    /// connection's errors.
    func query(_ filter: TicketFilter, viewer: AgentID?, purpose: TicketListPurpose, textMatches: [Int64]?,
               _ db: Connection) throws -> TicketListQuery

    /// How many tickets `query` (made by this planner for `.pageCount`) matches, counting at
    /// most `cap + 1` (a result over `cap` means "more than `cap`"; below it, exact).
    /// The default runs the plain count (`TicketListRecord.cappedCount`).
    func cappedCount(_ query: TicketListQuery, cap: Int, _ db: Connection) throws -> Int

    /// The ticket ids a list page's text search considers, ascending and without duplicates:
    /// the ticket whose `number` is `search.number` (if any); for each of
    /// `contactIDs(search, limit: TicketSearchText.maxContacts)` the `limit` tickets of that
    /// requester with the greatest `(updated_at, id)`; the `limit` greatest ticket ids whose
    /// subject or description match the words; and the tickets of the `limit` greatest message
    /// ids whose body matches them. Bounded so a common word costs no more than a rare one.
    func textCandidates(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64]

    /// The ids of the contacts whose name or email match the search (see the type's
    /// documentation), the greatest (newest) ids first, at most `limit`. Empty when the text
    /// has no contact words (`contactPrefix` nil).
    func contactIDs(_ search: TicketSearchText, limit: Int, _ db: Connection) throws -> [Int64]

    /// The keyset condition: the rows strictly after `cursor` in its sort order, comparing
    /// the pair (sort column, `t.id`) lexicographically (`<` descending, `>` ascending), and
    /// its bindings (the cursor's key, then its id).
    func keyset(after cursor: ListCursor) -> (condition: String, bindings: [SQLValue])
}

extension TicketListPlanning {
    func cappedCount(_ query: TicketListQuery, cap: Int, _ db: Connection) throws -> Int {
        try TicketListRecord.cappedCount(query, cap: cap, db)
    }

    /// A row-value comparison, which both databases answer from the (sort column, id) index.
    func keyset(after cursor: ListCursor) -> (condition: String, bindings: [SQLValue]) {
        let op = cursor.sort.descending ? "<" : ">"
        return ("(\(cursor.sort.field.column), t.id) \(op) (?, ?)", [.integer(cursor.key), .integer(cursor.id)])
    }
}

/// Chooses the planner for a connection.
enum TicketListPlanner {
    /// The planner for `db`'s dialect.
    static func `for`(_ db: Connection) -> any TicketListPlanning {
        switch db.dialect {
        case .sqlite: SQLiteTicketListPlanning()
        case .postgres: PostgresTicketListPlanning()
        }
    }
}

extension TicketListQuery {
    /// Adds the conditions every database writes alike: statuses, priorities, categories,
    /// channels, assignee, SLA statuses, requester and the date ranges (everything but the
    /// tag and the text). Throws `.validation("assignee")` when `.me` has no agent viewer.
    mutating func addPlainConditions(_ filter: TicketFilter, viewer: AgentID?) throws {
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
        if !filter.slaStatuses.isEmpty { addSLA(filter.slaStatuses) }
        if let requester = filter.requesterID { add("t.requester_id = ?", [.integer(requester.rawValue)]) }
        if let from = filter.createdFrom { add("t.created_at >= ?", [.date(from)]) }
        if let before = filter.createdBefore { add("t.created_at < ?", [.date(before)]) }
        if let from = filter.updatedFrom { add("t.updated_at >= ?", [.date(from)]) }
        if let before = filter.updatedBefore { add("t.updated_at < ?", [.date(before)]) }
    }

    /// The filter's tag, trimmed and lower-cased as tags are stored; nil when absent or empty.
    static func tag(of filter: TicketFilter) -> String? {
        guard let tag = filter.tag?.trimmingCharacters(in: .whitespaces).lowercased(), !tag.isEmpty else { return nil }
        return tag
    }

    /// Adds "has `tag`" by collecting the tag's tickets up front.
    mutating func addTagSet(_ tag: String) {
        add("t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)", [.text(tag)])
    }

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

    private mutating func addSet(_ column: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        add("\(column) IN (\(marks))", values.sorted().map { .text($0) })
    }
}

extension TicketSortField {
    /// The indexed column, as every planner's FROM clause names the tickets (`t`). `due_sort`
    /// is a generated column, `due_at` or the largest BIGINT when NULL, so tickets without a
    /// due date come last in ascending order (a PostgreSQL schema needs the same column).
    var column: String {
        switch self {
        case .updated: "t.updated_at"
        case .created: "t.created_at"
        case .priority: "t.priority_rank"
        case .due: "t.due_sort"
        case .reference: "t.number"
        }
    }
}
