import Foundation

/// The one path for every ticket change. Each command checks permissions, validates, writes
/// the ticket and its audit entries in one transaction, and returns the events it caused.
/// Every method is `async`; SQLite work runs on the database's queues, never the caller's.
public final class TicketService: Sendable {
    public let database: Database
    public let attachments: AttachmentStore
    let now: Clock

    public init(database: Database, attachments: AttachmentStore, now: @escaping Clock) {
        self.database = database
        self.attachments = attachments
        self.now = now
    }

    /// Creates a ticket with the next reference (`TKT-001`...), matching or creating the
    /// requester contact. Without an assignee, the auto-assignment rules run in the same
    /// transaction and the audit log records which rule assigned it and why. `draft.slaPolicyID`
    /// picks the SLA policy (the default otherwise). Throws `.validation` (subject, description, tags, requesterEmail,
    /// assigneeId, slaPolicyId), `.forbidden` without `ticket.create` (and `ticket.assign` to assign).
    public func createTicket(_ draft: NewTicket, by actor: Actor) async throws -> CommandResult<Ticket> {
        try require(.ticketCreate, for: actor)
        if draft.assigneeID != nil { try require(.ticketAssign, for: actor) }
        let subject = try TicketRules.subject(draft.subject)
        let description = try TicketRules.description(draft.description)
        let tags = try TicketRules.tags(draft.tags)
        let at = now()
        return try await command(by: actor, at: at) { db in
            try Self.insertTicket(draft, subject: subject, description: description, tags: tags, by: actor, at: at, db)
        }
    }

    /// The rows of `createTicket` on the caller's transaction (also used by email ingestion,
    /// which must create the ticket and record the email in one transaction).
    static func insertTicket(_ draft: NewTicket, subject: String, description: String, tags: [String], by actor: Actor,
                             at: Date, _ db: Connection) throws -> TicketChange<Ticket> {
        let requester: ContactID = switch draft.requester {
        case .contact(let id):
            try ContactStore.find(id, db).map(\.id) ?? { throw DomainError.validation("requesterId", "Unknown contact.") }()
        case .email(let name, let email): try ContactStore.findOrCreate(name: name, email: email, at: at, db).0.id
        }
        if let assignee = draft.assigneeID { try Self.checkAssignable(assignee, db) }
        // Auto-assignment runs in this transaction so its rotation cursor moves with the creation.
        let automatic = draft.assigneeID == nil
            ? try AutoAssigner.assign(category: draft.category, priority: draft.priority, channel: draft.channel, db) : nil
        var ticket = Ticket(
            id: TicketID(0), number: try TicketRecord.nextNumber(db), subject: subject, description: description,
            status: draft.status, priority: draft.priority, category: draft.category, channel: draft.channel,
            dueAt: draft.dueAt, requesterID: requester, assigneeID: draft.assigneeID ?? automatic?.pick.agent, tags: tags,
            createdAt: at, updatedAt: at, firstResponseAt: nil, resolvedAt: nil, closedAt: nil, version: 1)
        TicketRules.stampStatus(&ticket, now: at)
        ticket = try TicketRecord.insert(ticket, db)
        let policy = try SLAHooks.ticketCreated(ticket, policy: draft.slaPolicyID, at: at, db)
        var created = Self.auditValues(ticket)
        if draft.slaPolicyID != nil { created["slaPolicy"] = policy.map { .string($0.name) } ?? .null }
        try AuditLog.record(db, ticket: ticket.id, actor: actor, action: .ticketCreated, before: nil,
                            after: created, at: at)
        if let automatic {
            try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .autoAssigned, before: ["assignee": .null],
                                after: AutoAssigner.auditValues(automatic), at: at)
        }
        var events: [TicketEvent] = [.ticketCreated(ticket)]
        if let assignee = ticket.assigneeID { events.append(.assigned(ticket, from: nil, to: assignee)) }
        return TicketChange(value: ticket, events: events)
    }

    /// Ticket `id` as `viewer` may see it. Agents need `ticket.view`; a requester sees only
    /// their own tickets. Throws `.notFound` (also for other requesters' tickets), `.forbidden`.
    public func ticket(_ id: TicketID, for viewer: Actor) async throws -> Ticket {
        try await database.read { db in try Self.visibleTicket(id, to: viewer, db) }
    }

    /// The ticket with `reference` (`TKT-042`, any case). Throws `.notFound`, `.forbidden`.
    public func ticket(reference: String, for viewer: Actor) async throws -> Ticket {
        guard let number = TicketReference.parse(reference) else { throw DomainError.notFound("Ticket") }
        return try await database.read { db in
            guard let ticket = try TicketRecord.find(number: number, db) else { throw DomainError.notFound("Ticket") }
            return try Self.visibleTicket(ticket.id, to: viewer, db)
        }
    }

    /// Deletes a ticket with its thread (attachment files stay until a sweep). Needs
    /// `ticket.delete`. Throws `.notFound`, `.forbidden`.
    public func deleteTicket(_ id: TicketID, by actor: Actor) async throws -> CommandResult<TicketID> {
        try require(.ticketDelete, for: actor)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try TicketRecord.load(id, db)
            try TicketRecord.delete(id, db)
            try AuditLog.record(db, ticket: id, actor: actor, action: .ticketDeleted, before: Self.auditValues(ticket),
                                after: nil, at: at)
            return TicketChange(value: id, events: [.ticketDeleted(id, reference: ticket.reference)])
        }
    }

    /// The audit timeline of ticket `id`, oldest first (kept after deletion). Needs `audit.view`
    /// or `ticket.view`.
    public func timeline(_ id: TicketID, for viewer: Actor) async throws -> [AuditEntry] {
        if (try? require(.auditView, for: viewer)) == nil { try require(.ticketView, for: viewer) }
        return try await database.read { db in try AuditLog.timeline(id, db) }
    }

    /// Recent audit entries across the account, newest first, paged by entry id. Needs `audit.view`.
    public func auditLog(limit: Int = 50, before: Int64? = nil, for viewer: Actor) async throws -> [AuditEntry] {
        try require(.auditView, for: viewer)
        return try await database.read { db in try AuditLog.recent(limit: min(max(limit, 1), 500), before: before, db) }
    }

    /// Contact `id`. Agents need `ticket.view`; a requester may read only themself.
    public func contact(_ id: ContactID, for viewer: Actor) async throws -> Contact {
        if viewer != .requester(id) { try require(.ticketView, for: viewer) }
        guard let contact = try await database.read({ try ContactStore.find(id, $0) }) else { throw DomainError.notFound("Contact") }
        return contact
    }

    /// Contacts whose name or email starts with `prefix` (for requester pickers). Needs `ticket.view`.
    public func searchContacts(_ prefix: String, limit: Int = 20, for viewer: Actor) async throws -> [Contact] {
        try require(.ticketView, for: viewer)
        try TextLimit.check(prefix, field: "q", max: EmailAddress.maxLength)
        return try await database.read { db in try ContactStore.search(prefix, limit: min(max(limit, 1), 100), db) }
    }

    /// The contact with `email` (any case), created with `name` when new (email-to-ticket).
    /// Needs `ticket.create`. Throws `.validation("requesterEmail")`.
    public func findOrCreateContact(name: String, email: String, by actor: Actor) async throws -> Contact {
        try require(.ticketCreate, for: actor)
        let at = now()
        return try await database.write { db in try ContactStore.findOrCreate(name: name, email: email, at: at, db).0 }
    }

    static func visibleTicket(_ id: TicketID, to viewer: Actor, _ db: Connection) throws -> Ticket {
        let ticket = try TicketRecord.load(id, db)
        if case .requester(let contact) = viewer {
            // The ticket's people: its requester and the contacts copied on it (who answer by email).
            let copied = try ticket.requesterID != contact && TicketRecord.isCopied(contact, on: id, db)
            guard ticket.requesterID == contact || copied else { throw DomainError.notFound("Ticket") }
            return ticket
        }
        try require(.ticketView, for: viewer)
        return ticket
    }

    static func checkAssignable(_ agent: AgentID, _ db: Connection) throws {
        guard let found = try AgentRecord.find(agent, db), found.active else {
            throw DomainError.validation("assigneeId", "Assign to an active agent.")
        }
    }

    static func auditValues(_ t: Ticket) -> AuditLog.Values {
        ["reference": .string(t.reference), "subject": .string(t.subject), "status": .string(t.status.rawValue),
         "priority": .string(t.priority.rawValue), "category": .string(t.category.rawValue),
         "channel": .string(t.channel.rawValue), "dueAt": .date(t.dueAt), "requesterID": .int(t.requesterID.rawValue),
         "assignee": TicketRules.agentValue(t.assigneeID), "tags": .strings(t.tags)]
    }
}
