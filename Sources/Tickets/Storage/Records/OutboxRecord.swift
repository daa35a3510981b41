import Foundation

/// `mail_outbox` rows on the caller's connection: emails to send, one per event that caused
/// one (`event_id` UNIQUE) or per workflow run, with everything needed to send it in `payload`.
enum OutboxRecord {
    /// True when event `event` already queued an email.
    static func exists(event: Int64, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM mail_outbox WHERE event_id = ?", [.integer(event)]) != nil
    }

    /// Queues `email` (its JSON `payload`) caused by `event`, due at `due`.
    static func insert(_ email: OutboxEmail, payload: String, event: Int64, ticket: TicketID, mailbox: MailboxID, due: Date,
                       at: Date, _ db: Connection) throws {
        try db.run("""
            INSERT INTO mail_outbox (event_id, ticket_id, mailbox_id, message_id, payload, state, next_attempt_at, created_at,
                                     survey_id, automatic, to_address)
            VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)
            """, [.integer(event), .integer(ticket.rawValue), .integer(mailbox.rawValue), .text(email.messageID),
                  .text(payload), .date(due), .date(at), .optional(email.surveyID), .int(email.automatic == true ? 1 : 0),
                  .text(email.toAddress.lowercased())])
    }

    /// Queues a workflow's automatic email to `address` (lower-cased), due at once; it
    /// belongs to a run, not to an event (`event_id` NULL).
    static func insertAutomatic(_ email: OutboxEmail, payload: String, ticket: TicketID, mailbox: MailboxID, to address: String,
                                at: Date, _ db: Connection) throws {
        try db.run("""
            INSERT INTO mail_outbox (event_id, ticket_id, mailbox_id, message_id, payload, state, next_attempt_at, created_at,
                                     automatic, to_address)
            VALUES (NULL, ?, ?, ?, ?, 'queued', ?, ?, 1, ?)
            """, [.integer(ticket.rawValue), .integer(mailbox.rawValue), .text(email.messageID), .text(payload), .date(at),
                  .date(at), .text(address)])
    }

    /// How many automatic emails to `address` (lower-cased) were queued after `since`.
    static func automaticQueued(to address: String, since: Date, _ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM mail_outbox WHERE automatic = 1 AND to_address = ? AND created_at > ?",
                     [.text(address), .date(since)])?.int(0) ?? 0
    }

    /// Queued emails due at `now`, oldest first, at most `limit`; rows whose payload does not
    /// decode are left out.
    static func due(now: Date, limit: Int, _ db: Connection) throws -> [OutboxEmail] {
        try db.query("""
            SELECT id, mailbox_id, ticket_id, attempts, payload FROM mail_outbox
            WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
            """, [.date(now), .int(limit)]).compactMap { row in
            guard var email = try? JSONDecoder().decode(OutboxEmail.self, from: Data(row.text(4).utf8)) else { return nil }
            email.id = row.int64(0)
            email.mailboxID = row.int64(1)
            email.ticketID = row.int64(2)
            email.attempts = row.int(3)
            return email
        }
    }

    /// Marks row `id` sent; returns the survey it carried when it was not sent before.
    static func markSent(_ id: Int64, at: Date, _ db: Connection) throws -> Int64? {
        let survey = try db.first("SELECT survey_id FROM mail_outbox WHERE id = ? AND state <> 'sent'", [.integer(id)])?.optionalInt64(0)
        try db.run("UPDATE mail_outbox SET state = 'sent', sent_at = ?, last_error = NULL WHERE id = ?", [.date(at), .integer(id)])
        return survey
    }

    /// Leaves row `id` unsent for good with `reason`.
    static func markSkipped(_ id: Int64, reason: String, _ db: Connection) throws {
        try db.run("UPDATE mail_outbox SET state = 'skipped', last_error = ? WHERE id = ?", [.text(reason), .integer(id)])
    }

    /// Counts one more failed attempt of row `id` and schedules the next at `next`.
    static func retry(_ id: Int64, error: String, next: Date, _ db: Connection) throws {
        try db.run("UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
                   [.text(error), .date(next), .integer(id)])
    }

    /// Marks row `id` failed for good after one more attempt.
    static func markFailed(_ id: Int64, error: String, _ db: Connection) throws {
        try db.run("UPDATE mail_outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                   [.text(error), .integer(id)])
    }

    /// How many automatic emails were sent to `address` (lower-cased) after `since`.
    static func automaticSent(to address: String, since: Date, _ db: Connection) throws -> Int {
        try db.first("""
            SELECT COUNT(*) FROM mail_outbox
            WHERE automatic = 1 AND state = 'sent' AND sent_at > ? AND to_address = ?
            """, [.date(since), .text(address)])?.int(0) ?? 0
    }
}
