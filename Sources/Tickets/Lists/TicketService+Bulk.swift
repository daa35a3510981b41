import Foundation

/// Which tickets a bulk command touches: chosen ids, or everything matching a filter.
public enum TicketSelection: Sendable {
    case ids([TicketID])
    case matching(TicketFilter)
}

/// The changes a bulk update may make (nil: unchanged; `assigneeID: .some(nil)` unassigns).
public struct BulkChange: Sendable {
    public var status: TicketStatus?
    public var priority: TicketPriority?
    public var category: TicketCategory?
    public var assigneeID: AgentID??

    public init(status: TicketStatus? = nil, priority: TicketPriority? = nil, category: TicketCategory? = nil,
                assigneeID: AgentID?? = nil) {
        self.status = status
        self.priority = priority
        self.category = category
        self.assigneeID = assigneeID
    }
}

/// A ticket a bulk update left alone, and why (e.g. a Closed ticket cannot become Pending).
public struct BulkSkip: Sendable {
    public let ticketID: TicketID
    public let reason: String
}

/// What a bulk update did.
public struct BulkUpdateResult: Sendable {
    public let updated: [Ticket]
    public let skipped: [BulkSkip]
}

extension TicketService {
    /// Applies `change` to every selected ticket in ONE transaction, auditing each ticket
    /// (`ticket.bulk_updated`). Versions are not checked (the selection is the intent); tickets
    /// the transition table refuses are skipped and reported. Needs `ticket.bulk` and
    /// `ticket.update` (plus `ticket.assign` for the assignee). Throws `.validation("assigneeId")`.
    public func bulkUpdate(_ selection: TicketSelection, _ change: BulkChange, by actor: Actor) async throws
        -> CommandResult<BulkUpdateResult>
    {
        try require(.ticketBulk, for: actor)
        try require(.ticketUpdate, for: actor)
        if change.assigneeID != nil { try require(.ticketAssign, for: actor) }
        let patch = TicketPatch(status: change.status, priority: change.priority, category: change.category,
                                assigneeID: change.assigneeID)
        let at = now()
        let viewer = actor.agentID
        return try await command(by: actor, at: at) { db in
            if case .some(.some(let assignee)) = change.assigneeID { try Self.checkAssignable(assignee, db) }
            var updated: [Ticket] = [], skipped: [BulkSkip] = [], events: [TicketEvent] = []
            for id in try Self.resolve(selection, viewer: viewer, db) {
                guard let current = try TicketRecord.find(id, db) else {
                    skipped.append(BulkSkip(ticketID: id, reason: "Ticket not found."))
                    continue
                }
                do {
                    let result = try Self.applyUpdate(patch, to: current, action: .bulkUpdated, by: actor, at: at, db)
                    if !result.events.isEmpty { updated.append(result.value) }
                    events += result.events
                } catch let error as DomainError where error.code == .validation || error.code == .conflict {
                    // A refused transition or a Closed ticket is skipped, like a missing one.
                    skipped.append(BulkSkip(ticketID: id, reason: error.message))
                }
            }
            return TicketChange(value: BulkUpdateResult(updated: updated, skipped: skipped), events: events)
        }
    }

    /// Deletes every selected ticket in ONE transaction, auditing each (`ticket.bulk_deleted`).
    /// Needs `ticket.bulk` and `ticket.delete`. Returns the ids deleted (unknown ids are ignored).
    public func bulkDelete(_ selection: TicketSelection, by actor: Actor) async throws -> CommandResult<[TicketID]> {
        try require(.ticketBulk, for: actor)
        try require(.ticketDelete, for: actor)
        let at = now()
        let viewer = actor.agentID
        return try await command(by: actor, at: at) { db in
            var deleted: [TicketID] = [], events: [TicketEvent] = []
            for id in try Self.resolve(selection, viewer: viewer, db) {
                guard let ticket = try TicketRecord.find(id, db) else { continue }
                try TicketRecord.delete(id, db)
                try AuditLog.record(db, ticket: id, actor: actor, action: .bulkDeleted, before: Self.auditValues(ticket),
                                    after: nil, at: at)
                deleted.append(id)
                events.append(.ticketDeleted(id, reference: ticket.reference))
            }
            return TicketChange(value: deleted, events: events)
        }
    }

    private static func resolve(_ selection: TicketSelection, viewer: AgentID?, _ db: Connection) throws -> [TicketID] {
        switch selection {
        case .ids(let ids):
            var seen = Set<TicketID>()
            return ids.filter { seen.insert($0).inserted }
        case .matching(let filter):
            return try matchingIDs(filter, viewer: viewer, db)
        }
    }
}
