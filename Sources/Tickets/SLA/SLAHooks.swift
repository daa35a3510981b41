import Foundation

/// The SLA side of the ticket write path. `TicketService` calls these inside the SAME write
/// transaction as the ticket change, so `sla_state` never disagrees with the ticket.
/// Deleting a ticket needs no call: its `sla_state` row cascades.
enum SLAHooks {
    /// Starts the clock of a new ticket under policy `chosen`, or the default policy (none:
    /// no SLA). Returns the policy. Throws `.validation("slaPolicyId")` for an unknown policy.
    @discardableResult
    static func ticketCreated(_ ticket: Ticket, policy chosen: SLAPolicyID? = nil, at now: Date, _ db: Connection) throws -> SLAPolicy? {
        let policy: SLAPolicy
        if let chosen {
            guard let found = try SLAPolicyRecord.find(chosen, db) else {
                throw DomainError.validation("slaPolicyId", "Unknown SLA policy.")
            }
            policy = found
        } else {
            guard let found = try SLAPolicyRecord.defaultPolicy(db) else { return nil }
            policy = found
        }
        let clock = SLAClock(policy: policy, status: ticket.status, priority: ticket.priority, at: now)
        try SLAStateRecord.save(clock, for: ticket.id, policy: policy, at: now, db)
        return policy
    }

    /// Feeds a status and/or priority change to the ticket's clock.
    static func ticketUpdated(from before: Ticket, to after: Ticket, at now: Date, _ db: Connection) throws {
        var events: [SLAClockEvent] = []
        if before.priority != after.priority { events.append(.priorityChanged(after.priority)) }
        if before.status != after.status { events.append(.statusChanged(after.status)) }
        try apply(events, to: before, at: now, db)
    }

    /// Feeds a new message: a public agent reply or a requester reply (notes and system
    /// messages do not count).
    static func messageAdded(_ message: Message, to ticket: Ticket, at now: Date, _ db: Connection) throws {
        guard message.kind == .reply else { return }
        switch message.author {
        case .agent: try apply([.agentReplied], to: ticket, at: now, db)
        case .requester: try apply([.customerReplied], to: ticket, at: now, db)
        case .system: return
        }
    }

    /// Moves ticket `id`'s clock from policy `old` (as it was before any edit) to `policy`,
    /// keeping consumed time.
    static func changePolicy(of id: TicketID, from old: SLAPolicy, to policy: SLAPolicy, at now: Date,
                             _ db: Connection) throws {
        guard let ticket = try TicketRecord.find(id, db) else { return }
        try apply([.policyChanged(policy)], to: ticket, at: now, policyInForce: old, db)
    }

    /// Applies `events` in order to the clock of `before` (the ticket as the clock last saw
    /// it), audits warnings and breaches, and saves the clock.
    static func apply(_ events: [SLAClockEvent], to before: Ticket, at now: Date, policyInForce: SLAPolicy? = nil,
                      _ db: Connection) throws {
        guard !events.isEmpty, let stored = try SLAStateRecord.find(before.id, db) else { return }
        var clock = stored.clock
        clock.ticketStatus = before.status
        clock.priority = before.priority
        var policy = try policyInForce ?? SLAPolicyRecord.load(clock.policyID, db)
        for event in events {
            let actions = clock.event(event, at: now, policy: policy)
            try audit(actions, ticket: before.id, db)
            if case .policyChanged(let next) = event { policy = next }
        }
        try SLAStateRecord.save(clock, for: before.id, policy: policy, at: now, db)
    }

    /// Writes one audit entry per warning or breach (met targets are visible on the ticket).
    static func audit(_ actions: [SLAClockAction], ticket: TicketID, _ db: Connection) throws {
        for action in actions {
            switch action {
            case .warning(let metric, let at):
                try AuditLog.record(db, ticket: ticket, actor: .system, action: .slaWarning, before: nil,
                                    after: ["metric": .string(metric.rawValue), "at": .date(at)], at: at)
            case .breached(let metric, let at):
                try AuditLog.record(db, ticket: ticket, actor: .system, action: .slaBreached, before: nil,
                                    after: ["metric": .string(metric.rawValue), "at": .date(at)], at: at)
            case .met:
                break
            }
        }
    }
}
