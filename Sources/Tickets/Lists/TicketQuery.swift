/// Builds the WHERE clause of a ticket list from a filter, with positional bindings.
/// Every user value is bound, never spliced into SQL.
struct TicketQuery {
    private(set) var clauses: [String] = []
    private(set) var bindings: [SQLValue] = []

    /// The conditions for `filter` as seen by `viewer` (who `me` is).
    /// Throws `.validation("assignee")` when `me` is used by a non-agent.
    init(_ filter: TicketFilter, viewer: AgentID?) throws {
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
            add("t.id IN (SELECT ticket_id FROM ticket_tags WHERE tag = ?)", [.text(tag)])
        }
        if let requester = filter.requesterID { add("t.requester_id = ?", [.integer(requester.rawValue)]) }
        if let from = filter.createdFrom { add("t.created_at >= ?", [.date(from)]) }
        if let before = filter.createdBefore { add("t.created_at < ?", [.date(before)]) }
        if let from = filter.updatedFrom { add("t.updated_at >= ?", [.date(from)]) }
        if let before = filter.updatedBefore { add("t.updated_at < ?", [.date(before)]) }
        if let text = filter.text, let match = FullTextQuery.expression(text) {
            add("""
                t.id IN (SELECT rowid FROM ticket_fts WHERE ticket_fts MATCH ?
                    UNION SELECT m.ticket_id FROM message_fts JOIN messages m ON m.id = message_fts.rowid
                    WHERE message_fts MATCH ?)
                """, [.text(match), .text(match)])
        }
    }

    /// Adds the keyset condition: rows strictly after `cursor` in its sort order.
    mutating func after(_ cursor: ListCursor) {
        let op = cursor.sort.descending ? "<" : ">"
        add("(\(cursor.sort.field.column), t.id) \(op) (?, ?)", [.integer(cursor.key), .integer(cursor.id)])
    }

    /// `WHERE ...` or an empty string when nothing filters.
    var whereClause: String { clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND ") }

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
