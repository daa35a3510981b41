import Foundation

/// Fills an EMPTY database fast, for benchmarks and load tests; never used by the server.
///
/// It writes through the same record types as the services (`TicketRecord`, `MessageRecord`,
/// `AuditLog`, the reference counter), so the result is indistinguishable from a database
/// filled by `createTicket`/`addMessage`. What makes it fast:
/// - `journal_mode=OFF`, `synchronous=OFF` and a large page cache, only while loading;
///   `finish()` restores WAL. A crash mid-load leaves a useless file: load into a fresh folder.
/// - The secondary indexes and FTS triggers of the bulk tables are dropped while rows are
///   appended in rowid order, then recreated from their own stored SQL (so the schema stays
///   exactly the migrations'), and the FTS indexes are rebuilt in one pass.
/// - Large transactions: call `commit()` every few thousand rows.
///
/// Not thread-safe; use from one thread.
public final class BulkLoader {
    /// The tables whose indexes and triggers are suspended during the load.
    static let bulkTables = ["tickets", "ticket_tags", "messages", "audit_log"]

    private let db: SQLiteConnection
    private var suspended: [String] = []

    /// Opens (creating and migrating) the database at `path` for loading. Throws `SQLiteError`,
    /// or `.conflict` when the database already holds tickets.
    public init(path: String) throws {
        db = try SQLiteConnection(path: path)
        try Migrator(migrations: Schema.migrations).migrate(db)
        guard try db.first("SELECT 1 FROM tickets LIMIT 1") == nil else {
            throw DomainError(.conflict, "Bulk loading needs an empty database.")
        }
        try db.execute("PRAGMA journal_mode = OFF")
        try db.execute("PRAGMA synchronous = OFF")
        try db.execute("PRAGMA cache_size = -1048576") // 1 GiB, during the load only
        let rows = try db.query("""
            SELECT type, name, sql FROM sqlite_master
            WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('tickets', 'ticket_tags', 'messages', 'audit_log')
            """)
        for row in rows {
            suspended.append(row.text(2))
            try db.execute("DROP \(row.text(0).uppercased()) \(row.text(1))")
        }
        try db.execute("BEGIN")
    }

    /// Adds an agent (password hash as produced by `PasswordHasher`). Returns its id.
    public func addAgent(name: String, email: String, passwordHash: String, role: RoleID, at: Date) throws -> AgentID {
        try db.run("INSERT INTO agents (name, email, password_hash, role_id, created_at) VALUES (?, ?, ?, ?, ?)",
                   [.text(name), .text(email.lowercased()), .text(passwordHash), .integer(role.rawValue), .date(at)])
        return AgentID(db.lastInsertRowID)
    }

    /// Adds a contact (email stored lower-cased, as `ContactStore` does). Returns its id.
    public func addContact(name: String, email: String, at: Date) throws -> ContactID {
        try db.run("INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?)",
                   [.text(name), .text(email.lowercased()), .date(at)])
        return ContactID(db.lastInsertRowID)
    }

    /// Adds a ticket with the next reference number, its tags and its creation audit entry.
    /// Resolved/closed stamps follow the status at `updatedAt`. Returns the ticket id.
    public func addTicket(_ draft: NewTicket, requester: ContactID, createdAt: Date, updatedAt: Date,
                          firstResponseAt: Date?) throws -> TicketID {
        var ticket = Ticket(
            id: TicketID(0), number: try TicketRecord.nextNumber(db), subject: draft.subject,
            description: draft.description, status: draft.status, priority: draft.priority, category: draft.category,
            channel: draft.channel, dueAt: draft.dueAt, requesterID: requester, assigneeID: draft.assigneeID,
            tags: draft.tags, createdAt: createdAt, updatedAt: updatedAt, firstResponseAt: firstResponseAt,
            resolvedAt: nil, closedAt: nil, version: 1)
        TicketRules.stampStatus(&ticket, now: updatedAt)
        ticket = try TicketRecord.insert(ticket, db)
        try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .ticketCreated, before: nil,
                            after: TicketService.auditValues(ticket), at: createdAt)
        return ticket.id
    }

    /// Adds a message to `ticket` (no attachments, no audit entry). Returns its id.
    @discardableResult
    public func addMessage(to ticket: TicketID, kind: MessageKind, author: MessageAuthor, body: String,
                           at: Date) throws -> MessageID {
        try MessageRecord.insert(ticket: ticket, kind: kind, author: author, body: body, attachments: [], at: at, db).id
    }

    /// Commits the rows added so far and starts the next transaction.
    public func commit() throws {
        try db.execute("COMMIT; BEGIN")
    }

    /// Commits, recreates the suspended indexes and triggers, rebuilds both FTS indexes,
    /// gathers planner statistics (`ANALYZE`) and switches back to WAL. `progress` is told
    /// each step's name before it runs.
    public func finish(progress: (String) -> Void = { _ in }) throws {
        try db.execute("COMMIT")
        for sql in suspended {
            progress(String(sql.prefix(60)).replacingOccurrences(of: "\n", with: " "))
            try db.execute(sql)
        }
        for table in ["ticket_fts", "message_fts"] {
            progress("rebuild \(table)")
            try db.execute("INSERT INTO \(table) (\(table)) VALUES ('rebuild')")
            try db.execute("INSERT INTO \(table) (\(table)) VALUES ('optimize')")
        }
        progress("ANALYZE")
        try db.execute("ANALYZE")
        try db.execute("PRAGMA journal_mode = WAL")
        try db.execute("PRAGMA synchronous = NORMAL")
    }
}
