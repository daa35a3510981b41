import Foundation

/// Reads and writes ticket rows and tags on the caller's connection.
enum TicketRecord {
    static let columns = """
        id, number, subject, description, status, priority, category, channel, due_at, requester_id, \
        assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version, merged_into_id
        """
    /// How many columns `columns` names (a query's extra columns start at this index).
    static let columnCount = 18
    /// The same columns qualified with the `t` alias, for joins.
    static let aliasedColumns = columns.split(separator: ",").map { "t." + $0.trimmingCharacters(in: .whitespaces) }
        .joined(separator: ", ")

    /// A ticket from a row of `columns` (tags filled in separately).
    static func ticket(_ row: Row, tags: [String] = []) -> Ticket {
        Ticket(
            id: TicketID(row.int64(0)), number: row.int64(1), subject: row.text(2), description: row.text(3),
            status: TicketStatus(rawValue: row.text(4)) ?? .open,
            priority: TicketPriority(rawValue: row.text(5)) ?? .medium,
            category: TicketCategory(rawValue: row.text(6)) ?? .general,
            channel: TicketChannel(rawValue: row.text(7)) ?? .web,
            dueAt: row.optionalDate(8), requesterID: ContactID(row.int64(9)),
            assigneeID: row.optionalInt64(10).map(AgentID.init), tags: tags, createdAt: row.date(11),
            updatedAt: row.date(12), firstResponseAt: row.optionalDate(13), resolvedAt: row.optionalDate(14),
            closedAt: row.optionalDate(15), version: row.int64(16),
            mergedIntoID: row.optionalInt64(17).map(TicketID.init))
    }

    /// Ticket `id` with its tags, or nil.
    static func find(_ id: TicketID, _ db: Connection) throws -> Ticket? {
        guard let row = try db.first("SELECT \(columns) FROM tickets WHERE id = ?", [.integer(id.rawValue)]) else { return nil }
        return ticket(row, tags: try tags(of: id, db))
    }

    /// Ticket `id` or `.notFound`.
    static func load(_ id: TicketID, _ db: Connection) throws -> Ticket {
        guard let ticket = try find(id, db) else { throw DomainError.notFound("Ticket") }
        return ticket
    }

    /// The ticket with reference number `number`, or nil.
    static func find(number: Int64, _ db: Connection) throws -> Ticket? {
        guard let row = try db.first("SELECT id FROM tickets WHERE number = ?", [.integer(number)]) else { return nil }
        return try find(TicketID(row.int64(0)), db)
    }

    /// The next reference number: increments the counter row inside the caller's write
    /// transaction, so concurrent creations get unique, gapless numbers that are never reused.
    static func nextNumber(_ db: Connection) throws -> Int64 {
        guard let row = try db.first("UPDATE counters SET value = value + 1 WHERE name = 'ticket_number' RETURNING value") else {
            preconditionFailure("counters row 'ticket_number' missing: migration 3 not applied")
        }
        return row.int64(0)
    }

    /// The columns a new ticket's row sets (`insertedRow`), in order: those of `insert`.
    static let insertedColumns = ["number", "subject", "description", "status", "priority", "priority_rank", "category",
                                  "channel", "due_at", "requester_id", "assignee_id", "created_at", "updated_at",
                                  "first_response_at", "resolved_at", "closed_at", "version"]

    /// The values of `insertedColumns` for a new `ticket` (the bulk loader writes the same row).
    static func insertedRow(_ ticket: Ticket) -> [SQLValue] {
        [.integer(ticket.number)] + values(ticket) + [.integer(ticket.version)]
    }

    /// Inserts a new ticket (its `id` is ignored) and its tags; returns it with the new id.
    static func insert(_ ticket: Ticket, _ db: Connection) throws -> Ticket {
        let insertedID = try db.insert("""
            INSERT INTO tickets (number, subject, description, status, priority, priority_rank, category, channel,
                due_at, requester_id, assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, insertedRow(ticket))
        let id = TicketID(insertedID)
        try storeTags(ticket.tags, of: id, replacing: false, db)
        return Ticket(id: id, number: ticket.number, subject: ticket.subject, description: ticket.description,
                      status: ticket.status, priority: ticket.priority, category: ticket.category, channel: ticket.channel,
                      dueAt: ticket.dueAt, requesterID: ticket.requesterID, assigneeID: ticket.assigneeID, tags: ticket.tags,
                      createdAt: ticket.createdAt, updatedAt: ticket.updatedAt, firstResponseAt: ticket.firstResponseAt,
                      resolvedAt: ticket.resolvedAt, closedAt: ticket.closedAt, version: ticket.version)
    }

    /// Writes every field of `ticket` if its stored version is still `expectedVersion`.
    /// Returns false when the row changed meanwhile (or is gone).
    static func update(_ ticket: Ticket, expectedVersion: Int64, tagsChanged: Bool, _ db: Connection) throws -> Bool {
        let changed = try db.run("""
            UPDATE tickets SET subject = ?, description = ?, status = ?, priority = ?, priority_rank = ?, category = ?,
                channel = ?, due_at = ?, requester_id = ?, assignee_id = ?, created_at = ?, updated_at = ?,
                first_response_at = ?, resolved_at = ?, closed_at = ?, version = ?
            WHERE id = ? AND version = ?
            """, values(ticket) + [.integer(ticket.version), .integer(ticket.id.rawValue), .integer(expectedVersion)])
        if changed == 1, tagsChanged { try storeTags(ticket.tags, of: ticket.id, replacing: true, db) }
        return changed == 1
    }

    /// Records that `id` was merged into `primary` (set once; merges are never undone), as a
    /// change: the version moves and `updatedAt` becomes `at`.
    static func setMergedInto(_ id: TicketID, primary: TicketID, at: Date, _ db: Connection) throws {
        try db.run("UPDATE tickets SET merged_into_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
                   [.integer(primary.rawValue), .date(at), .integer(id.rawValue)])
    }

    /// Deletes ticket `id` (messages, attachments rows and tags cascade).
    static func delete(_ id: TicketID, _ db: Connection) throws {
        try db.run("DELETE FROM tickets WHERE id = ?", [.integer(id.rawValue)])
    }

    /// The sorted tags of ticket `id`.
    static func tags(of id: TicketID, _ db: Connection) throws -> [String] {
        try db.query("SELECT tag FROM ticket_tags WHERE ticket_id = ? ORDER BY tag", [.integer(id.rawValue)]).map { $0.text(0) }
    }

    /// Tags for many tickets at once (one query per page, not per ticket).
    static func tags(of ids: [TicketID], _ db: Connection) throws -> [TicketID: [String]] {
        guard !ids.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var result: [TicketID: [String]] = [:]
        for row in try db.query("SELECT ticket_id, tag FROM ticket_tags WHERE ticket_id IN (\(marks)) ORDER BY tag",
                                ids.map { .integer($0.rawValue) }) {
            result[TicketID(row.int64(0)), default: []].append(row.text(1))
        }
        return result
    }

    /// How many email-channel tickets the contact with address `email` (lower-cased) started
    /// after `since`.
    static func emailTicketsStarted(by email: String, since: Date, _ db: Connection) throws -> Int {
        try db.first("""
            SELECT COUNT(*) FROM tickets t JOIN contacts c ON c.id = t.requester_id
            WHERE c.email = ? AND t.channel = 'email' AND t.created_at > ?
            """, [.text(email), .date(since)])?.int(0) ?? 0
    }

    /// True when `contact` is copied on ticket `id` (`ticket_ccs`).
    static func isCopied(_ contact: ContactID, on id: TicketID, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM ticket_ccs WHERE ticket_id = ? AND contact_id = ?",
                     [.integer(id.rawValue), .integer(contact.rawValue)]) != nil
    }

    private static func storeTags(_ tags: [String], of id: TicketID, replacing: Bool, _ db: Connection) throws {
        if replacing { try db.run("DELETE FROM ticket_tags WHERE ticket_id = ?", [.integer(id.rawValue)]) }
        for tag in tags {
            try db.run("INSERT INTO ticket_tags (ticket_id, tag) VALUES (?, ?) ON CONFLICT (ticket_id, tag) DO NOTHING",
                       [.integer(id.rawValue), .text(tag)])
        }
    }

    private static func values(_ t: Ticket) -> [SQLValue] {
        [.text(t.subject), .text(t.description), .text(t.status.rawValue), .text(t.priority.rawValue),
         .int(t.priority.rank), .text(t.category.rawValue), .text(t.channel.rawValue), .date(t.dueAt),
         .integer(t.requesterID.rawValue), .optional(t.assigneeID?.rawValue), .date(t.createdAt), .date(t.updatedAt),
         .date(t.firstResponseAt), .date(t.resolvedAt), .date(t.closedAt)]
    }
}
