import Foundation

/// How one thread message travelled by email: a customer's email taken in, or an agent's
/// reply sent out through the outbox with its delivery state.
public struct EmailMark: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case inbound = "in"
        case outbound = "out"
    }

    /// Where an outgoing email stands in the outbox (`mail_outbox.state`).
    public enum Delivery: String, Sendable, CaseIterable {
        case queued, sent, failed
    }

    public let direction: Direction
    /// Incoming: the sender's address (nil for email taken before migration 20).
    public let sender: String?
    /// Outgoing: the address it was sent to.
    public let recipient: String?
    /// Outgoing: nil when the outbox row is gone.
    public let delivery: Delivery?
    /// Outgoing: the server's answer of the last failed attempt (permanent once `failed`).
    public let lastError: String?
    /// Incoming: the email's row id when its original (raw message) is kept, for
    /// `TicketService.originalEmail`.
    public let originalID: Int64?
}

/// An ingested email's raw message in the attachment store.
public struct OriginalEmail: Sendable {
    public let storageKey: String
    public let size: Int64
    public let ticketID: TicketID
}

extension TicketService {
    /// The email marks of the messages filed on ticket `id`, by message id; messages that did
    /// not travel by email are absent. Read through `mail_messages` (indexed by ticket), so a
    /// message moved by a merge keeps no mark: its email row names the ticket it was filed on.
    /// The caller has already checked that its viewer may see the ticket.
    public func emailMarks(ticket id: TicketID) async throws -> [MessageID: EmailMark] {
        try await database.read { db in try MailMessageRecord.marks(ticket: id, db) }
    }

    /// The email that started ticket `id` (its text is the ticket's description), if one did:
    /// the incoming email filed in the ticket's creating transaction (same time stamp), or the
    /// one a workflow made the ticket of (`inbound_emails`, filed earlier).
    public func startingEmail(ticket id: TicketID) async throws -> EmailMark? {
        try await database.read { db in try MailMessageRecord.startingEmail(ticket: id, db) }
    }

    /// The original of ingested email `id` (a `mail_messages` row), if `viewer` may see the
    /// ticket it was filed on. Requesters never get one (it may be a stranger's email filed as
    /// a note). Throws `.notFound` for an unknown id, an email filed on no ticket or whose
    /// original was not kept, and `.forbidden` like the ticket itself.
    public func originalEmail(_ id: Int64, for viewer: Actor) async throws -> (OriginalEmail, URL) {
        if case .requester = viewer { throw DomainError.notFound("Email") }
        let found = try await database.read { db -> OriginalEmail in
            guard let original = try MailMessageRecord.original(id, db) else { throw DomainError.notFound("Email") }
            _ = try Self.visibleTicket(original.ticketID, to: viewer, db)
            return original
        }
        return (found, attachments.fileURL(for: found.storageKey))
    }
}

/// An email that failed for good: which outbox row, to whom, why, and the agent whose reply
/// it carried (nil for automatic email such as a survey), who is told live.
public struct EmailFailure: Sendable, Equatable, Codable {
    public let outboxID: Int64
    /// The thread message the email carried (nil: automatic email).
    public let messageID: MessageID?
    public let recipient: String
    public let error: String
    public let senderAgentID: AgentID?

    public init(outboxID: Int64, messageID: MessageID?, recipient: String, error: String, senderAgentID: AgentID?) {
        self.outboxID = outboxID
        self.messageID = messageID
        self.recipient = recipient
        self.error = error
        self.senderAgentID = senderAgentID
    }
}
