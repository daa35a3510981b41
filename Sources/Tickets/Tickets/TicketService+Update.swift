import Foundation

extension TicketService {
    /// Applies `patch` to ticket `id` if it is still at `expectedVersion`. Needs `ticket.update`
    /// (and `ticket.assign` to change the assignee). A status change also adds a system message.
    /// Throws `.conflict` carrying the current ticket when stale, `.validation` for bad values,
    /// a transition the table forbids or reopening a merged ticket, `.notFound`, `.forbidden`.
    public func updateTicket(_ id: TicketID, expectedVersion: Int64, _ patch: TicketPatch, by actor: Actor) async throws
        -> CommandResult<Ticket>
    {
        try require(.ticketUpdate, for: actor)
        if patch.assigneeID != nil { try require(.ticketAssign, for: actor) }
        let at = now()
        return try await command(by: actor, at: at) { db in
            let current = try TicketRecord.load(id, db)
            guard current.version == expectedVersion else {
                throw DomainError(.conflict, "\(current.reference) was changed by someone else. Review and retry.",
                                  field: "version", currentTicket: current)
            }
            return try Self.applyUpdate(patch, to: current, action: .ticketUpdated, by: actor, at: at, db)
        }
    }

    /// The shared write path of single and bulk updates: apply the rules, write the row,
    /// audit each concern, add a system message for status changes, and return the events.
    static func applyUpdate(
        _ patch: TicketPatch, to current: Ticket, action: AuditAction, by actor: Actor, at: Date, _ db: Connection
    ) throws -> TicketChange<Ticket> {
        if case .some(.some(let assignee)) = patch.assigneeID, assignee != current.assigneeID {
            try checkAssignable(assignee, db)
        }
        if current.mergedIntoID != nil, let status = patch.status, status != current.status, status != .closed {
            // A merged ticket lives on in its primary; reopening it would split the conversation again.
            throw DomainError.validation("status", "\(current.reference) was merged into another ticket and stays closed.")
        }
        let requester: ContactID? = switch patch.requester {
        case .none: nil
        case .contact(let id): try ContactStore.find(id, db).map(\.id) ?? { throw DomainError.validation("requesterId", "Unknown contact.") }()
        case .email(let name, let email): try ContactStore.findOrCreate(name: name, email: email, at: at, db).0.id
        }
        let (ticket, changes) = try TicketRules.apply(patch, to: current, now: at, requester: requester)
        guard !changes.isEmpty else { return TicketChange(value: current, events: []) }
        let tagsChanged = changes.contains { $0.field == .tags }
        guard try TicketRecord.update(ticket, expectedVersion: current.version, tagsChanged: tagsChanged, db) else {
            throw DomainError(.conflict, "\(current.reference) was changed by someone else.", currentTicket: current)
        }
        try SLAHooks.ticketUpdated(from: current, to: ticket, at: at, db)
        try auditChanges(changes, ticket: ticket.id, action: action, by: actor, at: at, db)
        var events = TicketRules.events(for: ticket, before: current, changes: changes)
        if current.status != ticket.status {
            let message = try MessageRecord.insert(
                ticket: ticket.id, kind: .system, author: .system,
                body: "Status changed from \(current.status.displayName) to \(ticket.status.displayName).",
                attachments: [], at: at, db)
            events.append(.messageAdded(ticket, message))
        }
        return TicketChange(value: ticket, events: events)
    }

    /// One audit entry per concern: status, assignment, and the remaining fields together.
    static func auditChanges(
        _ changes: [FieldChange], ticket: TicketID, action: AuditAction, by actor: Actor, at: Date, _ db: Connection
    ) throws {
        var other: [FieldChange] = []
        for change in changes {
            switch change.field {
            case .status:
                try AuditLog.record(db, ticket: ticket, actor: actor, action: action == .bulkUpdated ? .bulkUpdated : .statusChanged,
                                    before: ["status": change.before], after: ["status": change.after], at: at)
            case .assignee:
                try AuditLog.record(db, ticket: ticket, actor: actor, action: action == .bulkUpdated ? .bulkUpdated : .assigned,
                                    before: ["assignee": change.before], after: ["assignee": change.after], at: at)
            case .subject, .description, .priority, .category, .channel, .dueAt, .tags, .requester:
                other.append(change)
            }
        }
        guard !other.isEmpty else { return }
        let before = Dictionary(uniqueKeysWithValues: other.map { ($0.field.rawValue, $0.before) })
        let after = Dictionary(uniqueKeysWithValues: other.map { ($0.field.rawValue, $0.after) })
        try AuditLog.record(db, ticket: ticket, actor: actor, action: action, before: before, after: after, at: at)
    }
}
