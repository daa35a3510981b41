import Foundation

extension TicketService {
    /// New tickets one sender may start by email in an hour. A person writes a handful; an
    /// auto-responder in a loop or a flood writes hundreds, and each would page an agent.
    public static let maxNewEmailTicketsPerSenderPerHour = 20

    /// Takes one email into the help desk, in ONE transaction with its record in
    /// `mail_messages` and the mailbox's IMAP cursor, so a crash never takes an email twice
    /// or loses one. An email joins a ticket when In-Reply-To/References name an email of that
    /// ticket, or when its subject carries a correctly signed `SubjectToken`; otherwise it
    /// starts a ticket (until workflows decide, that is the default rule). Runs as the system.
    public func ingestEmail(_ mail: InboundEmail, tokenKey: CredentialKey) async throws -> CommandResult<InboundOutcome> {
        let at = now()
        return try await command(by: .system, at: at) { db in
            if let mailbox = mail.mailbox, let cursor = mail.cursor {
                try MailboxRecord.advanceCursor(mailbox, uidValidity: cursor.uidValidity, uid: cursor.uid, db)
            }
            let key = Self.dedupeKey(mail)
            if try MailMessageRecord.exists(key, db) {
                return TicketChange(value: .duplicate, events: [])
            }
            let target = try Self.ticketAnswered(by: mail, tokenKey: tokenKey, db)
            let change = try Self.file(mail, on: target, at: at, db)
            let ticketID: TicketID? = switch change.value.outcome {
            case .newTicket(let id), .reply(let id), .strangerNote(let id), .bounceNote(let id): id
            case .bounceDropped, .duplicate, .ownMessage, .senderCapped, .received: nil
            }
            try MailMessageRecord.insertInbound(key: key, ticket: ticketID, mailbox: mail.mailbox, message: change.value.message,
                                                at: at, original: mail.original.map { ($0.storageKey, $0.size) },
                                                from: mail.fromAddress, db)
            return TicketChange(value: change.value.outcome, events: change.events)
        }
    }

    /// The Message-ID, or for mail without one a digest of sender, subject and text (so the
    /// same delivery twice is still recognised).
    static func dedupeKey(_ mail: InboundEmail) -> String {
        if let id = mail.messageID, !id.isEmpty { return id }
        let digest = Crypto.sha256(mail.fromAddress.lowercased() + "\n" + mail.subject + "\n" + mail.text)
        return "sha256:" + Encoding.hex(digest)
    }

    /// The ticket the email answers: one of ours it names (for a bounce, the one that
    /// bounced), else a signed subject token. Deleted tickets are skipped.
    static func ticketAnswered(by mail: InboundEmail, tokenKey: CredentialKey, _ db: Connection) throws -> Ticket? {
        let named = mail.bounce.map { $0.originalMessageID.map { [$0] } ?? [] } ?? mail.answers
        for id in named.prefix(50) {
            if let ticketID = try MailMessageRecord.ticket(of: id, db), let ticket = try TicketRecord.find(ticketID, db) {
                return ticket
            }
        }
        guard mail.bounce == nil, let reference = SubjectToken.reference(in: mail.subject, key: tokenKey),
              let number = TicketReference.parse(reference) else { return nil }
        return try TicketRecord.find(number: number, db)
    }

    private struct Filed: Sendable {
        let outcome: InboundOutcome
        let message: MessageID?
    }

    /// Writes the email as a new ticket, a requester reply, or a note.
    private static func file(_ mail: InboundEmail, on found: Ticket?, at: Date, _ db: Connection) throws -> TicketChange<Filed> {
        if mail.fromOwnMailbox { return TicketChange(value: Filed(outcome: .ownMessage, message: nil), events: []) }
        var ticket = found
        var followUpOf: Ticket?
        if let closed = found, closed.status == .closed, mail.bounce == nil,
           let requester = try ContactStore.find(closed.requesterID, db), requester.email.lowercased() == mail.fromAddress.lowercased() {
            // A Closed ticket is archived and takes no replies: the requester's new email
            // starts a new ticket that names the closed one.
            followUpOf = closed
            ticket = nil
        }
        let text = ([mail.text.trimmingCharacters(in: .whitespacesAndNewlines)] + mail.notes).filter { !$0.isEmpty }
            .joined(separator: "\n\n")
        if let bounce = mail.bounce {
            guard let ticket else { return TicketChange(value: Filed(outcome: .bounceDropped, message: nil), events: []) }
            let body = clipped("An email to the requester could not be delivered.\n" + bounce.failures.joined(separator: "\n"))
            let note = try insertMessage(to: ticket.id, NewMessage(kind: .note, body: body), body: body, author: .system,
                                         by: .system, at: at, db)
            return TicketChange(value: Filed(outcome: .bounceNote(ticket.id), message: note.value.id), events: note.events)
        }
        if let ticket {
            // The ticket's people (requester and CCs) answer; anyone else's email is kept as a note.
            if let person = try CCRecord.isTicketPerson(mail.fromAddress, ticket: ticket, db) {
                let body = clipped(text.isEmpty ? "(empty email)" : text)
                let reply = try insertMessage(to: ticket.id, NewMessage(kind: .reply, body: body, attachments: mail.attachments),
                                              body: body, author: .requester(person.id), by: .requester(person.id), at: at, db)
                return TicketChange(value: Filed(outcome: .reply(ticket.id), message: reply.value.id), events: reply.events)
            }
            let sender = mail.fromName.map { "\($0) <\(mail.fromAddress)>" } ?? mail.fromAddress
            let body = clipped("Email from \(sender), who is not the requester or a CC of this ticket:\n\n" + text)
            let note = try insertMessage(to: ticket.id, NewMessage(kind: .note, body: body, attachments: mail.attachments),
                                         body: body, author: .system, by: .system, at: at, db)
            return TicketChange(value: Filed(outcome: .strangerNote(ticket.id), message: note.value.id), events: note.events)
        }
        var email = stored(mail, at: at)
        if let followUpOf {
            email.text = "Follow-up to \(followUpOf.reference), which is closed.\n\n" + email.text
        }
        if try WorkflowRecord.emailWorkflowsCover(mailbox: mail.mailbox, db) {
            let id = try StoredEmailRecord.insert(email, messageKey: dedupeKey(mail), db)
            try EventLog.append([.email(.received(emailID: id, mailboxID: mail.mailbox?.rawValue))], by: .system, at: at, db)
            return TicketChange(value: Filed(outcome: .received(id), message: nil), events: [])
        }
        guard let created = try ticketFromEmail(email, fields: EmailTicketFields(), messageKey: dedupeKey(mail), at: at, db) else {
            return TicketChange(value: Filed(outcome: .senderCapped, message: nil), events: [])
        }
        return TicketChange(value: Filed(outcome: .newTicket(created.value.ticket.id), message: created.value.message), events: created.events)
    }

    /// The email as the workflows keep it.
    static func stored(_ mail: InboundEmail, at: Date) -> StoredEmail {
        StoredEmail(mailboxID: mail.mailbox?.rawValue, fromAddress: mail.fromAddress, fromName: mail.fromName,
                    subject: mail.subject, text: mail.text, recipients: mail.recipients, cc: mail.cc, headers: mail.headers, notes: mail.notes,
                    files: mail.attachments, autoReplySuppression: mail.autoReplySuppression, receivedAt: at)
    }

    /// What a ticket made of an email gets besides the email itself (a workflow's choices).
    struct EmailTicketFields: Sendable {
        var category: TicketCategory?
        var priority: TicketPriority?
        var tags: [String] = []
        var assignee: AgentID?
    }

    /// Makes a ticket of `mail` on the email channel (sender as requester, matched or created
    /// with the From display name; files on a first message), records `inbound_emails` with
    /// its ticket (inserting the row when `mail.id` is 0), and points the email's
    /// `mail_messages` row at it when one exists. Returns nil when the sender already started
    /// `maxNewEmailTicketsPerSenderPerHour` tickets in the past hour (a loop or a flood).
    static func ticketFromEmail(_ mail: StoredEmail, fields: EmailTicketFields, messageKey: String? = nil, at: Date,
                                _ db: Connection) throws -> TicketChange<(ticket: Ticket, message: MessageID?)>? {
        let recent = try TicketRecord.emailTicketsStarted(by: mail.fromAddress.lowercased(), since: at.addingTimeInterval(-3_600), db)
        guard recent < maxNewEmailTicketsPerSenderPerHour else { return nil }
        var draft = NewTicket(subject: "", description: "", requester: .email(name: mail.fromName ?? "", email: mail.fromAddress))
        draft.channel = .email
        if let category = fields.category { draft.category = category }
        if let priority = fields.priority { draft.priority = priority }
        draft.assigneeID = fields.assignee
        let text = ([mail.text.trimmingCharacters(in: .whitespacesAndNewlines)] + mail.notes).filter { !$0.isEmpty }
            .joined(separator: "\n\n")
        let subject = String(mail.subject.trimmingCharacters(in: .whitespacesAndNewlines).prefix(TicketRules.maxSubjectLength))
        let created = try insertTicket(draft, subject: subject.isEmpty ? "(no subject)" : subject,
                                       description: String((text.isEmpty ? "(empty email)" : text).prefix(TicketRules.maxDescriptionLength)),
                                       tags: fields.tags, by: .system, at: at, db)
        var events = created.events
        let copied = mail.cc.filter { $0.address.lowercased() != mail.fromAddress.lowercased() }.map { (name: $0.name, address: $0.address) }
        if let ccs = try CCRecord.addAll(copied, to: created.value, by: .system, at: at, db) {
            events.append(.ccsChanged(created.value, ccs: ccs.map(\.id)))
        }
        var message: MessageID?
        if !mail.files.isEmpty {
            // Files travel on a message; the ticket's description holds the text.
            let body = "Files attached to the email."
            let files = try insertMessage(to: created.value.id, NewMessage(kind: .reply, body: body, attachments: mail.files),
                                          body: body, author: .requester(created.value.requesterID),
                                          by: .requester(created.value.requesterID), at: at, db)
            events += files.events
            message = files.value.id
        }
        var stored = mail
        stored.ticketID = created.value.id
        if mail.id == 0, let messageKey {
            _ = try StoredEmailRecord.insert(stored, messageKey: messageKey, db)
        } else {
            try StoredEmailRecord.setTicket(created.value.id, of: mail.id, db)
            try MailMessageRecord.fileInbound(mail.id, on: created.value.id, message: message, db)
        }
        return TicketChange(value: (created.value, message), events: events)
    }

    private static func clipped(_ text: String) -> String { String(text.prefix(MessageRecord.maxBodyLength)) }
}
