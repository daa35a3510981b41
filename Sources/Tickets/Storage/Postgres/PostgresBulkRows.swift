import Foundation

/// The bulk loader's rows on PostgreSQL (`BulkLoader`): tickets, their tags, messages and
/// audit entries are buffered per table as the records would insert them
/// (`TicketRecord.insertedRow`, `MessageRecord.insertedRow`, `AuditLog.insertedRow`) and sent
/// with one COPY per table at `flush` (about 40 times faster than a statement per row, each a
/// round trip). Ids and reference numbers are handed out here, after those already stored,
/// since no row reaches the server before `flush`; `flush` moves the counter along in the same
/// transaction and `finish` moves each identity past the largest id stored.
final class PostgresBulkRows {
    private let db: PostgresConnection
    private var tickets = PostgresCopyRows(columnCount: 1 + TicketRecord.insertedColumns.count)
    private var tags = PostgresCopyRows(columnCount: 2)
    private var messages = PostgresCopyRows(columnCount: 1 + MessageRecord.insertedColumns.count)
    private var audit = PostgresCopyRows(columnCount: 1 + AuditLog.insertedColumns.count)
    private var lastTicketID: Int64
    private var lastMessageID: Int64
    private var lastAuditID: Int64
    private var lastNumber: Int64

    /// Reads the largest ids and the reference counter. Throws `PostgresError`.
    init(_ db: PostgresConnection) throws {
        self.db = db
        func largest(_ table: String) throws -> Int64 {
            try db.first("SELECT COALESCE(max(id), 0) FROM \(table)")?.int64(0) ?? 0
        }
        lastTicketID = try largest("tickets")
        lastMessageID = try largest("messages")
        lastAuditID = try largest("audit_log")
        lastNumber = try db.first("SELECT value FROM counters WHERE name = 'ticket_number'")?.int64(0) ?? 0
    }

    /// The next reference number (what `TicketRecord.nextNumber` would return).
    func nextNumber() -> Int64 {
        lastNumber += 1
        return lastNumber
    }

    /// Buffers `ticket` (its `id` ignored) and its tags; returns its id.
    func addTicket(_ ticket: Ticket) throws -> TicketID {
        lastTicketID += 1
        try tickets.append([.integer(lastTicketID)] + TicketRecord.insertedRow(ticket))
        for tag in ticket.tags { try tags.append([.integer(lastTicketID), .text(tag)]) }
        return TicketID(lastTicketID)
    }

    /// Buffers one message; returns its id.
    func addMessage(_ row: [SQLValue]) throws -> MessageID {
        lastMessageID += 1
        try messages.append([.integer(lastMessageID)] + row)
        return MessageID(lastMessageID)
    }

    /// Buffers one audit entry (`AuditLog.insertedRow`).
    func addAuditEntry(_ row: [SQLValue]) throws {
        lastAuditID += 1
        try audit.append([.integer(lastAuditID)] + row)
    }

    /// Sends the buffered rows, tickets first (the others reference them), inside the
    /// caller's transaction, and stores the counter. Throws `PostgresError`.
    func flush() throws {
        try db.copy(into: "tickets", columns: ["id"] + TicketRecord.insertedColumns, rows: tickets)
        try db.copy(into: "ticket_tags", columns: ["ticket_id", "tag"], rows: tags)
        try db.copy(into: "messages", columns: ["id"] + MessageRecord.insertedColumns, rows: messages)
        try db.copy(into: "audit_log", columns: ["id"] + AuditLog.insertedColumns, rows: audit)
        tickets.removeAll()
        tags.removeAll()
        messages.removeAll()
        audit.removeAll()
        try db.run("UPDATE counters SET value = ? WHERE name = 'ticket_number'", [.integer(lastNumber)])
    }

    /// Moves each identity past the largest id stored, so the next generated id follows the
    /// loaded rows (ids given explicitly do not advance an identity). Throws `PostgresError`.
    func finish() throws {
        for table in ["tickets", "messages", "audit_log"] {
            try db.query("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), max(id)) FROM \(table) HAVING max(id) IS NOT NULL")
        }
    }
}
