import Foundation

/// One email waiting in the outbox: everything needed to send it, captured when the reply
/// was made (so later edits to the ticket do not change what the customer receives).
public struct OutboxEmail: Sendable, Codable, Equatable {
    public struct File: Sendable, Codable, Equatable {
        public let fileName: String
        public let contentType: String
        public let storageKey: String
    }

    public var id: Int64 = 0
    public var mailboxID: Int64 = 0
    public var ticketID: Int64 = 0
    public var attempts: Int = 0
    /// Our Message-ID (no brackets).
    public let messageID: String
    public let toAddress: String
    public let toName: String
    public let subject: String
    public let body: String
    public let files: [File]
    public let inReplyTo: String?
    public let references: [String]
    /// The ticket's CC contacts when the reply was made (the Cc header); nil in rows queued
    /// before CCs existed.
    public var cc: [Recipient]? = nil
    /// Set for a survey email: the survey it asks about. Its text and link are written when it
    /// is sent (the token is derived then), and it is sent only while the survey is pending.
    public var surveyID: Int64? = nil

    /// A named address.
    public struct Recipient: Sendable, Codable, Equatable {
        public let address: String
        public let name: String
    }

    /// Sent by the help desk itself, not typed by a person (a workflow's email, a survey): goes
    /// out with Auto-Submitted (RFC 3834) and counts toward the per-recipient cap on automatic mail.
    public var automatic: Bool? = nil

    private enum CodingKeys: String, CodingKey {
        case messageID, toAddress, toName, subject, body, files, inReplyTo, references, cc, surveyID, automatic
    }
}

/// Queues an email for every public reply an agent writes (to the requester, the CC contacts
/// copied) and for every survey created (to the requester, due the survey delay later),
/// reading the event log. Each batch is one transaction with the outbox rows, their
/// Message-IDs in `mail_messages` and the cursor; `event_id` is unique, so a replayed batch cannot queue an email twice. Internal
/// notes never leave: only `.reply` messages by agents are queued.
public final class EmailOutboxConsumer: EventConsumer {
    public let name = "email-outbox"
    public var storesOwnCursor: Bool { true }
    private let database: Database
    private let tokenKey: CredentialKey
    private let makeMessageID: @Sendable (String) -> String

    /// `makeMessageID(domain)` mints Message-IDs (random; injected for tests).
    public init(database: Database, tokenKey: CredentialKey, makeMessageID: @escaping @Sendable (String) -> String) {
        self.database = database
        self.tokenKey = tokenKey
        self.makeMessageID = makeMessageID
    }

    public func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        let name = self.name, key = tokenKey, mint = makeMessageID
        try await database.write { db in
            for logged in events {
                if case .survey(.created(let survey)) = logged.event {
                    try Self.enqueue(survey: survey, event: logged.id, at: logged.at, key: key, mint: mint, db)
                    continue
                }
                guard case .ticket(.messageAdded(let ticket, let message)) = logged.event, message.kind == .reply,
                      case .agent = message.author else { continue }
                try Self.enqueue(ticket: ticket, message: message, event: logged.id, at: logged.at, key: key, mint: mint, db)
            }
            try EventLog.advance(name, to: position, at: Date(), db)
        }
    }

    /// The mailbox a ticket's email goes out from: the one its first email came to, else the
    /// first enabled mailbox by name; nil when there is none (then nothing is sent).
    static func mailbox(for ticket: TicketID, _ db: Connection) throws -> Mailbox? {
        if let id = try MailMessageRecord.firstInboundMailbox(of: ticket, db),
           let mailbox = try? MailboxRecord.load(id, db), mailbox.enabled {
            return mailbox
        }
        return try MailboxRecord.all(db).first { $0.enabled }
    }

    /// Queues the survey email of `survey`, due `delayMinutes` (the settings now) after its
    /// creation; nothing when the ticket is gone, has no mailbox or its requester no address.
    private static func enqueue(survey: Survey, event: Int64, at: Date, key: CredentialKey, mint: (String) -> String,
                                _ db: Connection) throws {
        guard try !OutboxRecord.exists(event: event, db),
              let ticket = try TicketRecord.find(survey.ticketID, db), let mailbox = try mailbox(for: ticket.id, db),
              let requester = try ContactStore.find(ticket.requesterID, db), requester.email.contains("@") else { return }
        let due = at.addingTimeInterval(Double(try SurveyRecord.settings(db).delayMinutes) * 60)
        let thread = try thread(of: ticket.id, db)
        var email = OutboxEmail(
            messageID: mint(domain(of: mailbox)), toAddress: requester.email, toName: requester.name,
            subject: "How did we do? \(ticket.subject) \(SubjectToken.make(ticket.reference, key: key))", body: survey.question,
            files: [], inReplyTo: thread.last(where: { $0.1 == "in" })?.0 ?? thread.last?.0, references: Array(thread.map(\.0).suffix(20)))
        email.surveyID = survey.id
        email.automatic = true
        try insert(email, event: event, ticket: ticket.id, mailbox: mailbox, due: due, message: nil, at: at, db)
    }

    private static func domain(of mailbox: Mailbox) -> String {
        mailbox.address.split(separator: "@").last.map(String.init) ?? "helpdesk.invalid"
    }

    /// The ticket's Message-IDs in order with their direction ("in", "out"), for In-Reply-To and
    /// References (digests of mail without a Message-ID left out).
    static func thread(of ticket: TicketID, _ db: Connection) throws -> [(String, String)] {
        try MailMessageRecord.thread(of: ticket, db).map { ($0.messageID, $0.direction) }.filter { !$0.0.hasPrefix("sha256:") }
    }

    /// The outbox row and the Message-ID's `mail_messages` row (so answers thread to the ticket).
    private static func insert(_ email: OutboxEmail, event: Int64, ticket: TicketID, mailbox: Mailbox, due: Date, message: MessageID?,
                               at: Date, _ db: Connection) throws {
        let payload = String(decoding: try JSONEncoder().encode(email), as: UTF8.self)
        try OutboxRecord.insert(email, payload: payload, event: event, ticket: ticket, mailbox: mailbox.id, due: due, at: at, db)
        try MailMessageRecord.insertOutbound(messageID: email.messageID, ticket: ticket, mailbox: mailbox.id, message: message,
                                             at: at, db)
    }

    private static func enqueue(ticket: Ticket, message: Message, event: Int64, at: Date, key: CredentialKey,
                                mint: (String) -> String, _ db: Connection) throws {
        guard try !OutboxRecord.exists(event: event, db),
              let mailbox = try mailbox(for: ticket.id, db),
              let requester = try ContactStore.find(ticket.requesterID, db), requester.email.contains("@") else { return }
        let thread = try thread(of: ticket.id, db)
        var email = OutboxEmail(
            messageID: mint(domain(of: mailbox)), toAddress: requester.email, toName: requester.name,
            subject: "Re: \(ticket.subject) \(SubjectToken.make(ticket.reference, key: key))", body: message.body,
            files: message.attachments.map { .init(fileName: $0.fileName, contentType: $0.contentType, storageKey: $0.storageKey) },
            inReplyTo: thread.last(where: { $0.1 == "in" })?.0 ?? thread.last?.0,
            references: Array(thread.map(\.0).suffix(20)))
        email.cc = try CCRecord.list(ticket.id, db).map { OutboxEmail.Recipient(address: $0.email, name: $0.name) }
        try insert(email, event: event, ticket: ticket.id, mailbox: mailbox, due: at, message: message.id, at: at, db)
    }
}
