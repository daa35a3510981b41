import Foundation

extension TicketService {
    /// Adds a reply or note to ticket `id`.
    /// - Agents need `ticket.update`; their first public reply stamps `firstResponseAt`.
    /// - A requester may add replies only, on their own ticket, without attachments of notes;
    ///   a requester reply reopens a Pending or Resolved ticket to Open.
    /// Throws `.validation("body")`, `.validation("kind")` for system messages, `.conflict` with
    /// `newerMessages` when public replies newer than `afterMessageID` exist and `force` is
    /// false, `.notFound`, `.forbidden`. Attachments must be staged in `attachments` first.
    public func addMessage(to id: TicketID, _ draft: NewMessage, by actor: Actor) async throws -> CommandResult<Message> {
        let author: MessageAuthor
        switch actor {
        case .agent(let principal):
            try require(.ticketUpdate, for: actor)
            author = .agent(principal.agent.id)
        case .requester(let contact):
            guard draft.kind == .reply else { throw DomainError.forbidden("Requesters can only reply.") }
            author = .requester(contact)
        case .system:
            author = .system
        }
        guard draft.kind != .system || author == .system else {
            throw DomainError.validation("kind", "Only the system writes system messages.")
        }
        // Bytes first: an oversized body is refused before it is trimmed or counted.
        guard draft.body.utf8.count <= 4 * MessageRecord.maxBodyLength else {
            throw DomainError.validation("body", "Keep messages under \(MessageRecord.maxBodyLength) characters.")
        }
        let body = draft.body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !body.isEmpty || !draft.attachments.isEmpty else { throw DomainError.validation("body", "Write a message.") }
        guard body.count <= MessageRecord.maxBodyLength else {
            throw DomainError.validation("body", "Keep messages under \(MessageRecord.maxBodyLength) characters.")
        }
        try TextLimit.check(body, field: "body", max: MessageRecord.maxBodyLength)
        let at = now()
        return try await command(by: actor, at: at) { db in
            try Self.insertMessage(to: id, draft, body: body, author: author, by: actor, at: at, db)
        }
    }

    /// The rows of `addMessage` on the caller's transaction, the body already validated (also
    /// used by email ingestion, which records the email in the same transaction).
    static func insertMessage(to id: TicketID, _ draft: NewMessage, body: String, author: MessageAuthor, by actor: Actor,
                              at: Date, _ db: Connection) throws -> TicketChange<Message> {
        let current = try Self.visibleTicket(id, to: actor, db)
        // Closed is archived: people reopen before writing; the system still records what
        // happens to it (a merge's note, a delivery failure, a stranger's email).
        if current.status == .closed, author != .system { throw TicketRules.closedTicket(current) }
        if let seen = draft.afterMessageID, !draft.force {
            let newer = try MessageRecord.repliesAfter(seen, ticket: id, db)
            if !newer.isEmpty {
                throw DomainError(.conflict, "\(newer.count) new repl\(newer.count == 1 ? "y" : "ies") arrived while you wrote.",
                                  field: "afterMessageId", newerMessages: newer)
            }
        }
        let message = try MessageRecord.insert(ticket: id, kind: draft.kind, author: author, body: body,
                                               attachments: draft.attachments, at: at, db)
        var ticket = current
        ticket.updatedAt = at
        if draft.kind == .reply, case .agent = author, ticket.firstResponseAt == nil { ticket.firstResponseAt = at }
        guard try TicketRecord.update(ticket, expectedVersion: current.version, tagsChanged: false, db) else {
            preconditionFailure("ticket version changed inside the write transaction")
        }
        try SLAHooks.messageAdded(message, to: current, at: at, db)
        try Self.auditMessage(message, ticket: id, by: actor, at: at, db)
        var events: [TicketEvent] = [.messageAdded(ticket, message)]
        if case .requester = author, ticket.status == .pending || ticket.status == .resolved {
            let reopened = try Self.applyUpdate(TicketPatch(status: .open), to: ticket, action: .ticketUpdated,
                                                by: actor, at: at, db)
            events = events.map { event in
                if case .messageAdded(_, let m) = event { return .messageAdded(reopened.value, m) }
                return event
            } + reopened.events
        }
        return TicketChange(value: message, events: events)
    }

    /// The thread of ticket `id` in order. Requesters never see notes; agents need `ticket.view`.
    public func thread(of id: TicketID, for viewer: Actor) async throws -> [Message] {
        try await database.read { db in
            _ = try Self.visibleTicket(id, to: viewer, db)
            let includeNotes = if case .requester = viewer { false } else { true }
            return try MessageRecord.thread(id, includeNotes: includeNotes, db)
        }
    }

    /// Attachment `id` and the file holding its bytes, if `viewer` may see its message
    /// (requesters never get note attachments). Throws `.notFound`, `.forbidden`.
    public func attachment(_ id: AttachmentID, for viewer: Actor) async throws -> (Attachment, URL) {
        let found = try await database.read { db -> Attachment in
            guard let (attachment, ticket, kind) = try AttachmentRecord.find(id, db) else { throw DomainError.notFound("Attachment") }
            _ = try Self.visibleTicket(ticket, to: viewer, db)
            if case .requester = viewer, kind == .note { throw DomainError.notFound("Attachment") }
            return attachment
        }
        return (found, attachments.fileURL(for: found.storageKey))
    }

    static func auditMessage(_ message: Message, ticket: TicketID, by actor: Actor, at: Date, _ db: Connection) throws {
        let action: AuditAction = message.kind == .note ? .noteAdded : .replyAdded
        try AuditLog.record(db, ticket: ticket, actor: actor, action: action, before: nil,
                            after: ["messageID": .int(message.id.rawValue), "kind": .string(message.kind.rawValue),
                                    "body": .string(String(message.body.prefix(500)))], at: at)
        for attachment in message.attachments {
            try AuditLog.record(db, ticket: ticket, actor: actor, action: .attachmentAdded, before: nil,
                                after: ["messageID": .int(message.id.rawValue), "fileName": .string(attachment.fileName),
                                        "size": .int(attachment.size), "sha256": .string(attachment.sha256)], at: at)
        }
    }
}
