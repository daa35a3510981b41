import Foundation

/// The outbox's bookkeeping for the sender thread. Sending is at least once: a message is
/// marked sent right after the server's 250; a crash between the two sends it again on
/// restart (SMTP gives no way to ask a server whether it already has a message).
extension TicketService {
    /// Outbox emails due at `now`, oldest first, at most `limit`.
    public func dueEmails(now: Date, limit: Int = 20) async throws -> [OutboxEmail] {
        try await database.read { db in try OutboxRecord.due(now: now, limit: limit, db) }
    }

    /// Marks outbox email `id` sent. For a survey email, in the same transaction: audited
    /// `survey.sent` on the ticket and logged as `survey.sent` (once: a row already sent is left).
    public func emailSent(_ id: Int64, at: Date) async throws {
        try await database.write { db in
            let survey = try OutboxRecord.markSent(id, at: at, db)
            guard let survey, let row = try SurveyRecord.find(id: survey, db) else { return }
            let sent = SurveyRecord.survey(row, now: at)
            try AuditLog.record(db, ticket: sent.ticketID, actor: .system, action: .surveySent, before: nil,
                                after: ["surveyID": .int(sent.id)], at: at)
            try EventLog.append(.survey(.sent(sent)), by: .system, at: at, db)
        }
    }

    /// Leaves outbox email `id` unsent for good, with the reason (a survey answered or
    /// cancelled before its email was due, or a loop rule refusing automatic mail).
    public func emailSkipped(_ id: Int64, reason: String) async throws {
        try await database.write { db in
            try OutboxRecord.markSkipped(id, reason: String(reason.prefix(1000)), db)
        }
    }

    /// How many automatic emails (survey emails and workflows' emails) were sent to `address`
    /// (any case) since `since`: the per-recipient cap on automatic mail.
    public func automaticEmailsSent(to address: String, since: Date) async throws -> Int {
        try await database.read { db in try OutboxRecord.automaticSent(to: address.lowercased(), since: since, db) }
    }

    /// The attachment-store keys of the originals of the emails `sender` (any case) sent into
    /// ticket `id`, newest first, at most `limit`: what an automatic answer's loop rules read.
    public func inboundOriginals(ticket id: TicketID, from sender: String, limit: Int = 5) async throws -> [String] {
        try await database.read { db in try MailMessageRecord.originals(ticket: id, from: sender.lowercased(), limit: limit, db) }
    }

    /// Schedules another attempt of `id` at `next` after a temporary failure.
    public func emailRetry(_ id: Int64, error: String, next: Date) async throws {
        try await database.write { db in
            try OutboxRecord.retry(id, error: String(error.prefix(1000)), next: next, db)
        }
    }

    /// Gives up on `email` and says so, in one transaction: an internal note on its ticket
    /// (live to the agents on the ticket) and an `email.failed` event naming the agent whose
    /// reply it carried, which the notifications consumer turns into that agent's
    /// `email_failed` notification (live in their feed).
    public func emailFailed(_ email: OutboxEmail, error: String) async throws {
        try await recordFailure(email, recipient: email.toAddress, error: error, failsRow: true)
    }

    /// Records that the server refused `recipient` (a CC) while accepting the email for the
    /// others: the same note and `email.failed` event as `emailFailed`, the row staying sent
    /// (SMTP delivered it; that one address is not tried again).
    public func emailRecipientRefused(_ email: OutboxEmail, recipient: String, error: String) async throws {
        try await recordFailure(email, recipient: recipient, error: error, failsRow: false)
    }

    private func recordFailure(_ email: OutboxEmail, recipient: String, error: String, failsRow: Bool) async throws {
        let at = now()
        let reason = String(error.prefix(1000))
        _ = try await command(by: .system, at: at) { db in
            if failsRow {
                try OutboxRecord.markFailed(email.id, error: reason, db)
            }
            let body = "The email to \(recipient) could not be delivered: \(reason)"
            guard try TicketRecord.find(TicketID(email.ticketID), db) != nil else { return TicketChange(value: (), events: []) }
            let note = try Self.insertMessage(to: TicketID(email.ticketID), NewMessage(kind: .note, body: body), body: body,
                                              author: .system, by: .system, at: at, db)
            // The reply the email carried and its author (none for automatic email).
            let carried = try MailMessageRecord.carriedReply(email.messageID, db)
            let failure = EmailFailure(outboxID: email.id, messageID: carried?.0, recipient: recipient,
                                       error: reason, senderAgentID: carried?.1)
            let ticket = try TicketRecord.load(TicketID(email.ticketID), db)
            return TicketChange(value: (), events: note.events + [.emailFailed(ticket, failure)])
        }
    }
}
