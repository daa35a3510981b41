import Foundation

/// `mail_messages` rows on the caller's connection: every email taken in or queued out,
/// keyed by its Message-ID (or a digest for mail without one), with the ticket and thread
/// message it was filed as.
enum MailMessageRecord {
    /// True when an email with Message-ID (or digest) `key` was already taken or queued.
    static func exists(_ key: String, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM mail_messages WHERE message_id = ?", [.text(key)]) != nil
    }

    /// The ticket the email with Message-ID `messageID` was filed on, if any.
    static func ticket(of messageID: String, _ db: Connection) throws -> TicketID? {
        try db.first("SELECT ticket_id FROM mail_messages WHERE message_id = ? AND ticket_id IS NOT NULL", [.text(messageID)])
            .map { TicketID($0.int64(0)) }
    }

    /// Records an email taken in (`direction` 'in').
    static func insertInbound(key: String, ticket: TicketID?, mailbox: MailboxID?, message: MessageID?, at: Date,
                              original: (storageKey: String, size: Int64)?, from address: String, _ db: Connection) throws {
        try db.run("""
            INSERT INTO mail_messages (message_id, ticket_id, mailbox_id, direction, thread_message_id, created_at,
                                       raw_storage_key, raw_size, from_address)
            VALUES (?, ?, ?, 'in', ?, ?, ?, ?, ?)
            """, [.text(key), .optional(ticket?.rawValue), .optional(mailbox?.rawValue), .optional(message?.rawValue),
                  .date(at), .optional(original?.storageKey), .optional(original?.size), .text(address)])
    }

    /// Records an email queued out (`direction` 'out'), so answers thread to the ticket;
    /// nothing when the Message-ID is already recorded.
    static func insertOutbound(messageID: String, ticket: TicketID, mailbox: MailboxID, message: MessageID?, at: Date,
                               _ db: Connection) throws {
        try db.run("""
            INSERT INTO mail_messages (message_id, ticket_id, mailbox_id, direction, thread_message_id, created_at)
            VALUES (?, ?, ?, 'out', ?, ?)
            ON CONFLICT (message_id) DO NOTHING
            """, [.text(messageID), .integer(ticket.rawValue), .integer(mailbox.rawValue), .optional(message?.rawValue), .date(at)])
    }

    /// Points the email kept as `inbound_emails` row `inboundID` at the ticket made of it (and
    /// its files' message), when it was filed on no ticket yet.
    static func fileInbound(_ inboundID: Int64, on ticket: TicketID, message: MessageID?, _ db: Connection) throws {
        try db.run("""
            UPDATE mail_messages SET ticket_id = ?, thread_message_id = ?
            WHERE message_id = (SELECT message_key FROM inbound_emails WHERE id = ?) AND ticket_id IS NULL
            """, [.integer(ticket.rawValue), .optional(message?.rawValue), .integer(inboundID)])
    }

    /// The mailbox the first email of `ticket` came to, if recorded.
    static func firstInboundMailbox(of ticket: TicketID, _ db: Connection) throws -> MailboxID? {
        try db.first("""
            SELECT mailbox_id FROM mail_messages WHERE ticket_id = ? AND direction = 'in' AND mailbox_id IS NOT NULL
            ORDER BY id LIMIT 1
            """, [.integer(ticket.rawValue)]).map { MailboxID($0.int64(0)) }
    }

    /// The Message-IDs (or digests) of `ticket`'s emails in order, with their direction.
    static func thread(of ticket: TicketID, _ db: Connection) throws -> [(messageID: String, direction: String)] {
        try db.query("SELECT message_id, direction FROM mail_messages WHERE ticket_id = ? ORDER BY id", [.integer(ticket.rawValue)])
            .map { ($0.text(0), $0.text(1)) }
    }

    /// The attachment-store keys of the kept originals of the emails `sender` (lower-cased)
    /// sent into `ticket`, newest first, at most `limit`.
    static func originals(ticket: TicketID, from sender: String, limit: Int, _ db: Connection) throws -> [String] {
        try db.query("""
            SELECT raw_storage_key FROM mail_messages
            WHERE ticket_id = ? AND direction = 'in' AND raw_storage_key IS NOT NULL AND lower(from_address) = ?
            ORDER BY id DESC LIMIT ?
            """, [.integer(ticket.rawValue), .text(sender), .int(limit)]).map { $0.text(0) }
    }

    /// The thread message (reply) the email with Message-ID `messageID` carried and its
    /// author agent, if any.
    static func carriedReply(_ messageID: String, _ db: Connection) throws -> (MessageID, AgentID?)? {
        try db.first("""
            SELECT m.id, m.author_agent_id FROM mail_messages e JOIN messages m ON m.id = e.thread_message_id
            WHERE e.message_id = ?
            """, [.text(messageID)]).map { (MessageID($0.int64(0)), $0.optionalInt64(1).map(AgentID.init)) }
    }

    /// The kept original of ingested email row `id`, when it was filed on a ticket.
    static func original(_ id: Int64, _ db: Connection) throws -> OriginalEmail? {
        try db.first("""
            SELECT raw_storage_key, raw_size, ticket_id FROM mail_messages
            WHERE id = ? AND direction = 'in' AND raw_storage_key IS NOT NULL AND ticket_id IS NOT NULL
            """, [.integer(id)]).map { OriginalEmail(storageKey: $0.text(0), size: $0.int64(1), ticketID: TicketID($0.int64(2))) }
    }

    /// The email marks of the messages filed on `ticket` (see `TicketService.emailMarks`).
    /// The recipient of an outgoing one is read from its outbox payload (`toAddress`, as
    /// addressed; `mail_outbox.to_address` is lower-cased).
    static func marks(ticket: TicketID, _ db: Connection) throws -> [MessageID: EmailMark] {
        var marks: [MessageID: EmailMark] = [:]
        let rows = try db.query("""
            SELECT m.thread_message_id, m.direction, o.state, o.last_error, o.payload,
                   CASE WHEN m.raw_storage_key IS NULL THEN NULL ELSE m.id END, m.from_address
            FROM mail_messages m LEFT JOIN mail_outbox o ON o.message_id = m.message_id
            WHERE m.ticket_id = ? AND m.thread_message_id IS NOT NULL
            """, [.integer(ticket.rawValue)])
        for row in rows {
            guard let direction = EmailMark.Direction(rawValue: row.text(1)) else { continue }
            marks[MessageID(row.int64(0))] = EmailMark(
                direction: direction, sender: row.optionalText(6), recipient: row.optionalText(4).flatMap(Self.toAddress),
                delivery: row.optionalText(2).flatMap(EmailMark.Delivery.init(rawValue:)), lastError: row.optionalText(3),
                originalID: row.optionalInt64(5))
        }
        return marks
    }

    /// The email that started `ticket` (see `TicketService.startingEmail`).
    static func startingEmail(ticket: TicketID, _ db: Connection) throws -> EmailMark? {
        guard let row = try db.first("""
            SELECT m.from_address, CASE WHEN m.raw_storage_key IS NULL THEN NULL ELSE m.id END
            FROM mail_messages m JOIN tickets t ON t.id = m.ticket_id
            WHERE m.ticket_id = ? AND m.direction = 'in'
              AND (m.created_at = t.created_at OR m.message_id IN (SELECT message_key FROM inbound_emails WHERE ticket_id = t.id))
            ORDER BY m.id LIMIT 1
            """, [.integer(ticket.rawValue)]) else { return nil }
        return EmailMark(direction: .inbound, sender: row.optionalText(0), recipient: nil, delivery: nil, lastError: nil,
                         originalID: row.optionalInt64(1))
    }

    /// The `toAddress` string of an outbox payload (JSON), nil when absent or not a string
    /// (what SQLite's `json_extract(payload, '$.toAddress')` answered).
    private static func toAddress(_ payload: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else { return nil }
        return object["toAddress"] as? String
    }
}
