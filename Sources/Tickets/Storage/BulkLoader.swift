import Foundation

/// Fills an EMPTY database fast, for benchmarks and load tests; never used by the server.
///
/// It writes the rows the services' records write (`TicketRecord`, `MessageRecord`,
/// `AuditLog`, the reference counter), so the result is indistinguishable from a database
/// filled by `createTicket`/`addMessage`. What makes it fast:
/// - SQLite: `journal_mode=OFF`, `synchronous=OFF` and a large page cache, only while
///   loading; `finish()` restores WAL. PostgreSQL: the session's `synchronous_commit=off`
///   and `maintenance_work_mem` of 1 GiB (for the index builds). A crash mid-load leaves a
///   useless database: load into a fresh one.
/// - The secondary indexes (and SQLite's FTS triggers) of the bulk tables are dropped while
///   rows are appended in id order, then recreated from their own stored definitions (so the
///   schema stays exactly the migrations'); SQLite's FTS indexes are rebuilt in one pass.
/// - Large transactions: call `commit()` every few thousand rows. On PostgreSQL the rows are
///   buffered and sent with one COPY per table at each `commit()` (`PostgresBulkRows`).
///
/// Not thread-safe; use from one thread.
public final class BulkLoader {
    /// The tables whose indexes and triggers are suspended during the load.
    static let bulkTables = ["tickets", "ticket_tags", "messages", "audit_log"]

    private let db: any Connection
    /// PostgreSQL only: the buffered rows.
    private let rows: PostgresBulkRows?
    private var suspended: [String] = []

    /// Opens (creating and migrating) the SQLite database at `path` for loading.
    public convenience init(path: String) throws {
        try self.init(location: .sqlite(path: path))
    }

    /// Opens the database at `location` for loading, applying its migrations. Throws
    /// `SQLiteError` or `PostgresError`, or `.conflict` when the database already holds tickets.
    public init(location: Database.Location) throws {
        switch location {
        case .sqlite(let path):
            let connection = try SQLiteConnection(path: path)
            try Migrator(migrations: Schema.migrations).migrate(connection)
            db = connection
            rows = nil
        case .postgres(let url):
            let connection = try PostgresConnection(url: url)
            try Migrator(migrations: PostgresSchema.migrations).migrate(connection)
            db = connection
            rows = try PostgresBulkRows(connection)
        }
        guard try db.first("SELECT 1 FROM tickets LIMIT 1") == nil else {
            throw DomainError(.conflict, "Bulk loading needs an empty database.")
        }
        switch db.dialect {
        case .sqlite: try suspendSQLite()
        case .postgres: try suspendPostgres()
        }
        try db.execute("BEGIN")
    }

    private func suspendSQLite() throws {
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
    }

    /// Drops the bulk tables' indexes except those of primary keys and unique constraints
    /// (foreign keys rely on them), keeping each one's definition to recreate it.
    private func suspendPostgres() throws {
        try db.execute("SET synchronous_commit = off")
        try db.execute("SET maintenance_work_mem = '1GB'")
        let indexes = try db.query("""
            SELECT index_class.relname, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class table_class ON table_class.oid = i.indrelid
            JOIN pg_class index_class ON index_class.oid = i.indexrelid
            WHERE table_class.relname IN ('tickets', 'ticket_tags', 'messages', 'audit_log')
              AND table_class.relnamespace = CAST(current_schema() AS regnamespace)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY index_class.relname
            """)
        for index in indexes {
            suspended.append(index.text(1))
            try db.execute("DROP INDEX \(index.text(0))")
        }
    }

    /// Adds an agent (password hash as produced by `PasswordHasher`). Returns its id.
    public func addAgent(name: String, email: String, passwordHash: String, role: RoleID, at: Date) throws -> AgentID {
        AgentID(try db.insert("INSERT INTO agents (name, email, password_hash, role_id, created_at) VALUES (?, ?, ?, ?, ?)",
                              [.text(name), .text(email.lowercased()), .text(passwordHash), .integer(role.rawValue), .date(at)]))
    }

    /// Adds a contact (email stored lower-cased, as `ContactStore` does). Returns its id.
    public func addContact(name: String, email: String, at: Date) throws -> ContactID {
        ContactID(try db.insert("INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?)",
                                [.text(name), .text(email.lowercased()), .date(at)]))
    }

    /// Adds a ticket with the next reference number, its tags and its creation audit entry.
    /// Resolved/closed stamps follow the status at `updatedAt`. Returns the ticket id.
    public func addTicket(_ draft: NewTicket, requester: ContactID, createdAt: Date, updatedAt: Date,
                          firstResponseAt: Date?) throws -> TicketID {
        var ticket = Ticket(
            id: TicketID(0), number: try rows?.nextNumber() ?? TicketRecord.nextNumber(db), subject: draft.subject,
            description: draft.description, status: draft.status, priority: draft.priority, category: draft.category,
            channel: draft.channel, dueAt: draft.dueAt, requesterID: requester, assigneeID: draft.assigneeID,
            tags: draft.tags, createdAt: createdAt, updatedAt: updatedAt, firstResponseAt: firstResponseAt,
            resolvedAt: nil, closedAt: nil, version: 1)
        TicketRules.stampStatus(&ticket, now: updatedAt)
        guard let rows else {
            ticket = try TicketRecord.insert(ticket, db)
            try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .ticketCreated, before: nil,
                                after: TicketService.auditValues(ticket), at: createdAt)
            return ticket.id
        }
        let id = try rows.addTicket(ticket)
        try rows.addAuditEntry(try AuditLog.insertedRow(ticket: id, actor: .system, action: .ticketCreated, before: nil,
                                                        after: TicketService.auditValues(ticket), at: createdAt))
        return id
    }

    /// Adds a message to `ticket` (no attachments, no audit entry). Returns its id.
    @discardableResult
    public func addMessage(to ticket: TicketID, kind: MessageKind, author: MessageAuthor, body: String,
                           at: Date) throws -> MessageID {
        guard let rows else {
            return try MessageRecord.insert(ticket: ticket, kind: kind, author: author, body: body, attachments: [], at: at, db).id
        }
        return try rows.addMessage(MessageRecord.insertedRow(ticket: ticket, kind: kind, author: author, body: body, at: at))
    }

    /// Commits the rows added so far and starts the next transaction.
    public func commit() throws {
        try rows?.flush()
        try db.execute("COMMIT; BEGIN")
    }

    /// Commits, recreates the suspended indexes and triggers, and gathers planner statistics.
    /// SQLite: rebuilds both FTS indexes, runs `ANALYZE` and switches back to WAL.
    /// PostgreSQL: moves the identities past the loaded ids and runs `VACUUM (ANALYZE)`:
    /// the statistics because autovacuum would gather them only after its own delay and
    /// thresholds, so queries right after a load would be planned without them (the default
    /// selectivities, e.g. for a status or a tag); the vacuum because it marks the loaded pages
    /// all-visible (index-only scans, such as the capped counts, then skip the table) and sets
    /// their hint bits (else the first reads of each page write it again).
    /// `progress` is told each step's name before it runs.
    public func finish(progress: (String) -> Void = { _ in }) throws {
        try rows?.flush()
        try db.execute("COMMIT")
        for sql in suspended {
            progress(String(sql.prefix(60)).replacingOccurrences(of: "\n", with: " "))
            try db.execute(sql)
        }
        switch db.dialect {
        case .sqlite:
            for table in ["ticket_fts", "message_fts"] {
                progress("rebuild \(table)")
                try db.execute("INSERT INTO \(table) (\(table)) VALUES ('rebuild')")
                try db.execute("INSERT INTO \(table) (\(table)) VALUES ('optimize')")
            }
            progress("ANALYZE")
            try db.execute("ANALYZE")
            try db.execute("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = NORMAL")
        case .postgres:
            try rows?.finish()
            progress("VACUUM (ANALYZE)")
            try db.execute("VACUUM (ANALYZE)")
        }
    }
}
