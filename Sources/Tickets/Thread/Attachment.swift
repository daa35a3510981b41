import Foundation

/// A file attached to a reply or note. The bytes live in the `AttachmentStore` under
/// `storageKey` (the content's SHA-256).
public struct Attachment: Sendable, Equatable, Codable {
    public let id: AttachmentID
    public let messageID: MessageID
    public let fileName: String
    public let contentType: String
    public let size: Int64
    /// Lower-case hex SHA-256 of the content.
    public let sha256: String
    public let storageKey: String
}

/// A file already written completely into the attachment store, waiting to be referenced
/// by a message. Staging before the transaction means a crash never leaves a row pointing
/// at a half-written file (at worst an unreferenced file remains).
public struct StagedAttachment: Sendable, Equatable {
    public let fileName: String
    public let contentType: String
    public let size: Int64
    public let sha256: String
    public let storageKey: String
}

/// Attachment rows on the caller's connection.
enum AttachmentRecord {
    static let columns = "a.id, a.message_id, a.file_name, a.content_type, a.size, a.sha256, a.storage_key"

    /// Inserts the row for `staged` on `message`.
    static func insert(_ staged: StagedAttachment, message: MessageID, at: Date, _ db: Connection) throws -> Attachment {
        let insertedID = try db.insert("""
            INSERT INTO attachments (message_id, file_name, content_type, size, sha256, storage_key, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, [.integer(message.rawValue), .text(staged.fileName), .text(staged.contentType), .integer(staged.size),
                  .text(staged.sha256), .text(staged.storageKey), .date(at)])
        return Attachment(id: AttachmentID(insertedID), messageID: message, fileName: staged.fileName,
                          contentType: staged.contentType, size: staged.size, sha256: staged.sha256, storageKey: staged.storageKey)
    }

    /// Attachments of every message of `ticket`, grouped by message.
    static func forTicket(_ ticket: TicketID, _ db: Connection) throws -> [MessageID: [Attachment]] {
        var result: [MessageID: [Attachment]] = [:]
        for row in try db.query("""
            SELECT \(columns) FROM attachments a JOIN messages m ON m.id = a.message_id
            WHERE m.ticket_id = ? ORDER BY a.id
            """, [.integer(ticket.rawValue)]) {
            let attachment = attachment(row)
            result[attachment.messageID, default: []].append(attachment)
        }
        return result
    }

    /// Attachment `id` with the ticket and message kind it belongs to, or nil.
    static func find(_ id: AttachmentID, _ db: Connection) throws -> (Attachment, TicketID, MessageKind)? {
        try db.first("""
            SELECT \(columns), m.ticket_id, m.kind FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?
            """, [.integer(id.rawValue)]).map { (attachment($0), TicketID($0.int64(7)), MessageKind(rawValue: $0.text(8)) ?? .note) }
    }

    private static func attachment(_ row: Row) -> Attachment {
        Attachment(id: AttachmentID(row.int64(0)), messageID: MessageID(row.int64(1)), fileName: row.text(2),
                   contentType: row.text(3), size: row.int64(4), sha256: row.text(5), storageKey: row.text(6))
    }
}
