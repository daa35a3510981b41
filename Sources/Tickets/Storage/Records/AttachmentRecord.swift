import Foundation

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

    /// True when some attachment row, an ingested email's original
    /// (`mail_messages.raw_storage_key`) or a file of an email kept for the workflows
    /// (`inbound_email_files`) names `storageKey`.
    static func isReferenced(_ storageKey: String, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM attachments WHERE storage_key = ? LIMIT 1", [.text(storageKey)]) != nil
            || db.first("SELECT 1 FROM mail_messages WHERE raw_storage_key = ? LIMIT 1", [.text(storageKey)]) != nil
            || db.first("SELECT 1 FROM inbound_email_files WHERE storage_key = ? LIMIT 1", [.text(storageKey)]) != nil
    }

    private static func attachment(_ row: Row) -> Attachment {
        Attachment(id: AttachmentID(row.int64(0)), messageID: MessageID(row.int64(1)), fileName: row.text(2),
                   contentType: row.text(3), size: row.int64(4), sha256: row.text(5), storageKey: row.text(6))
    }
}
