import Foundation

extension TicketService {
    /// The watchers of ticket `id`, in the order they were added. Needs `ticket.view`.
    public func watchers(of id: TicketID, for viewer: Actor) async throws -> [AgentID] {
        try require(.ticketView, for: viewer)
        return try await database.read { db in
            _ = try Self.visibleTicket(id, to: viewer, db)
            return try WatcherRecord.list(id, db)
        }
    }

    /// The watchers of ticket `id` for internal use (notifications); empty when it is gone.
    public func watcherIDs(of id: TicketID) async throws -> [AgentID] {
        try await database.read { db in try WatcherRecord.list(id, db) }
    }

    /// Adds `agent` as a watcher of ticket `id`. Watching yourself needs `ticket.view`; adding
    /// someone else `ticket.update`. Adding a watcher twice changes nothing (no audit, no event).
    /// Returns the watchers. Throws `.validation("agentId")` for an unknown or inactive agent,
    /// `.notFound`, `.forbidden`.
    public func addWatcher(_ agent: AgentID, to id: TicketID, by actor: Actor) async throws -> CommandResult<[AgentID]> {
        try Self.requireWatcherChange(of: agent, by: actor)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            guard let found = try AgentRecord.find(agent, db), found.active else {
                throw DomainError.validation("agentId", "Choose an active agent.")
            }
            guard try WatcherRecord.add(agent, to: id, at: at, db) else {
                return TicketChange(value: try WatcherRecord.list(id, db), events: [])
            }
            try AuditLog.record(db, ticket: id, actor: actor, action: .watcherAdded, before: nil,
                                after: ["watcher": .int(agent.rawValue), "name": .string(found.name)], at: at)
            let watchers = try WatcherRecord.list(id, db)
            return TicketChange(value: watchers, events: [.watchersChanged(ticket, watchers: watchers)])
        }
    }

    /// Removes `agent` from the watchers of ticket `id` (same permissions as adding). Returns
    /// the watchers. Throws `.notFound` when the agent does not watch the ticket.
    public func removeWatcher(_ agent: AgentID, from id: TicketID, by actor: Actor) async throws -> CommandResult<[AgentID]> {
        try Self.requireWatcherChange(of: agent, by: actor)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            guard try WatcherRecord.remove(agent, from: id, db) else { throw DomainError.notFound("Watcher") }
            try AuditLog.record(db, ticket: id, actor: actor, action: .watcherRemoved,
                                before: ["watcher": .int(agent.rawValue)], after: nil, at: at)
            let watchers = try WatcherRecord.list(id, db)
            return TicketChange(value: watchers, events: [.watchersChanged(ticket, watchers: watchers)])
        }
    }

    /// `ticket.view` to change your own watching, `ticket.update` for anyone else's.
    static func requireWatcherChange(of agent: AgentID, by actor: Actor) throws {
        try require(.ticketView, for: actor)
        if actor.agentID != agent { try require(.ticketUpdate, for: actor) }
    }
}
