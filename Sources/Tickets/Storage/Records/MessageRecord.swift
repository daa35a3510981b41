import Foundation

/// Reads and writes messages on the caller's connection.
enum MessageRecord {
    static let maxBodyLength = 100_000
    static let columns = "id, ticket_id, kind, author_agent_id, author_contact_id, body, created_at"

    /// The columns a new message's row sets (`insertedRow`), in order: those of `insert`.
    static let insertedColumns = ["ticket_id", "kind", "author_agent_id", "author_contact_id", "body", "created_at"]

    /// The values of `insertedColumns` for a new message (the bulk loader writes the same row).
    static func insertedRow(ticket: TicketID, kind: MessageKind, author: MessageAuthor, body: String, at: Date) -> [SQLValue] {
        let (agent, contact): (Int64?, Int64?) = switch author {
        case .agent(let id): (id.rawValue, nil)
        case .requester(let id): (nil, id.rawValue)
        case .system: (nil, nil)
        }
        return [.integer(ticket.rawValue), .text(kind.rawValue), .optional(agent), .optional(contact), .text(body), .date(at)]
    }

    /// Inserts a message with its attachment rows; returns it with ids.
    static func insert(ticket: TicketID, kind: MessageKind, author: MessageAuthor, body: String,
                       attachments: [StagedAttachment], at: Date, _ db: Connection) throws -> Message {
        let insertedID = try db.insert("""
            INSERT INTO messages (ticket_id, kind, author_agent_id, author_contact_id, body, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, insertedRow(ticket: ticket, kind: kind, author: author, body: body, at: at))
        let id = MessageID(insertedID)
        let stored = try attachments.map { try AttachmentRecord.insert($0, message: id, at: at, db) }
        return Message(id: id, ticketID: ticket, kind: kind, author: author, body: body, createdAt: at, attachments: stored)
    }

    /// The messages of `ticket` in time order (ties by id: merged messages keep their original
    /// times), notes excluded unless `includeNotes`, with attachments.
    static func thread(_ ticket: TicketID, includeNotes: Bool, _ db: Connection) throws -> [Message] {
        let rows = try db.query("SELECT \(columns) FROM messages WHERE ticket_id = ? ORDER BY created_at, id",
                                [.integer(ticket.rawValue)])
        let files = try AttachmentRecord.forTicket(ticket, db)
        return rows.map { message($0, attachments: files[MessageID($0.int64(0))] ?? []) }
            .filter { includeNotes || $0.kind != .note }
    }

    /// Public replies of `ticket` newer than `after`.
    static func repliesAfter(_ after: MessageID, ticket: TicketID, _ db: Connection) throws -> [Message] {
        try db.query("SELECT \(columns) FROM messages WHERE ticket_id = ? AND id > ? AND kind = 'reply' ORDER BY id",
                     [.integer(ticket.rawValue), .integer(after.rawValue)]).map { message($0, attachments: []) }
    }

    private static func message(_ row: Row, attachments: [Attachment]) -> Message {
        let author: MessageAuthor = if let agent = row.optionalInt64(3) {
            .agent(AgentID(agent))
        } else if let contact = row.optionalInt64(4) {
            .requester(ContactID(contact))
        } else {
            .system
        }
        return Message(id: MessageID(row.int64(0)), ticketID: TicketID(row.int64(1)),
                       kind: MessageKind(rawValue: row.text(2)) ?? .system, author: author, body: row.text(5),
                       createdAt: row.date(6), attachments: attachments)
    }
}
