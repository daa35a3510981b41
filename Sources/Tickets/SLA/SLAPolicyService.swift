import Foundation

/// Managing SLA policies. Every command needs `sla.manage` (reads need `ticket.view` or
/// `sla.manage`), runs in one write transaction and is audited. Invariant: exactly one
/// policy is the default. Marking a policy default unmarks the previous one; the default
/// can be neither unmarked directly nor deleted (mark another default first).
public final class SLAPolicyService: Sendable {
    public let database: Database
    let now: Clock

    public init(database: Database, now: @escaping Clock) {
        self.database = database
        self.now = now
    }

    /// Every policy, the default first.
    public func policies(for viewer: Actor) async throws -> [SLAPolicy] {
        if (try? require(.slaManage, for: viewer)) == nil { try require(.ticketView, for: viewer) }
        return try await database.read { try SLAPolicyRecord.all($0) }
    }

    /// Policy `id`. Throws `.notFound`, `.forbidden`.
    public func policy(_ id: SLAPolicyID, for viewer: Actor) async throws -> SLAPolicy {
        if (try? require(.slaManage, for: viewer)) == nil { try require(.ticketView, for: viewer) }
        return try await database.read { try SLAPolicyRecord.load(id, $0) }
    }

    /// Creates a policy. Throws `.validation(field)`, `.conflict` for a duplicate name, `.forbidden`.
    public func create(_ draft: SLAPolicyDraft, by actor: Actor) async throws -> SLAPolicy {
        try require(.slaManage, for: actor)
        let clean = try SLAPolicyRules.validated(draft)
        let at = now()
        return try await database.write { db in
            if clean.isDefault { try SLAPolicyRecord.clearDefault(except: nil, db) }
            let id = try SLAPolicyRecord.insert(clean, at: at, db)
            let policy = try SLAPolicyRecord.load(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .slaPolicyCreated, before: nil,
                                after: Self.auditValues(policy), at: at, subject: id.rawValue)
            return policy
        }
    }

    /// Replaces policy `id`'s fields. Active tickets on it are moved to the new targets and
    /// calendar, keeping consumed time; returns the policy and their ids (the scheduler must
    /// refresh them). Throws `.validation`, `.conflict`, `.notFound`, `.forbidden`.
    public func update(_ id: SLAPolicyID, _ draft: SLAPolicyDraft, by actor: Actor) async throws
        -> (policy: SLAPolicy, affected: [TicketID])
    {
        try require(.slaManage, for: actor)
        let clean = try SLAPolicyRules.validated(draft)
        let at = now()
        return try await database.write { db in
            let before = try SLAPolicyRecord.load(id, db)
            if before.isDefault, !clean.isDefault {
                throw DomainError.validation("isDefault", "Mark another policy as default instead.")
            }
            if clean.isDefault { try SLAPolicyRecord.clearDefault(except: id, db) }
            try SLAPolicyRecord.update(id, clean, at: at, db)
            let policy = try SLAPolicyRecord.load(id, db)
            let affected = try SLAStateRecord.activeTickets(on: id, db)
            for ticket in affected { try SLAHooks.changePolicy(of: ticket, from: before, to: policy, at: at, db) }
            try AuditLog.record(db, ticket: nil, actor: actor, action: .slaPolicyUpdated, before: Self.auditValues(before),
                                after: Self.auditValues(policy), at: at, subject: id.rawValue)
            return (policy, affected)
        }
    }

    /// Deletes policy `id`; its tickets move to the default policy keeping consumed time.
    /// Returns the moved ticket ids. Throws `.conflict` for the default,
    /// `.notFound`, `.forbidden`.
    public func delete(_ id: SLAPolicyID, by actor: Actor) async throws -> [TicketID] {
        try require(.slaManage, for: actor)
        let at = now()
        return try await database.write { db in
            let policy = try SLAPolicyRecord.load(id, db)
            guard !policy.isDefault, let fallback = try SLAPolicyRecord.defaultPolicy(db) else {
                // A state of the policy, not a field of the (bodiless) request: 409.
                throw DomainError(.conflict, "The default policy cannot be deleted; mark another default first.")
            }
            let moved = try SLAStateRecord.tickets(on: id, db)
            for ticket in moved { try SLAHooks.changePolicy(of: ticket, from: policy, to: fallback, at: at, db) }
            try SLAPolicyRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .slaPolicyDeleted, before: Self.auditValues(policy),
                                after: nil, at: at, subject: id.rawValue)
            return moved
        }
    }

    /// Moves ticket `ticket` to policy `id`, keeping consumed time, audited on the ticket
    /// (`ticket.sla_policy_changed`, policy names before and after). Needs `ticket.update`;
    /// a Closed ticket is refused like any change to it (`.conflict`).
    /// Returns the log position of its `ticket.sla_policy_changed` event.
    @discardableResult
    public func assign(_ id: SLAPolicyID, to ticket: TicketID, by actor: Actor) async throws -> Int64 {
        try require(.ticketUpdate, for: actor)
        let at = now()
        return try await database.write { db in
            let policy = try SLAPolicyRecord.load(id, db)
            let current = try TicketRecord.load(ticket, db)
            if current.status == .closed { throw TicketRules.closedTicket(current) }
            var old: SLAPolicy?
            if let stored = try SLAStateRecord.find(ticket, db) {
                let previous = try SLAPolicyRecord.load(stored.clock.policyID, db)
                try SLAHooks.changePolicy(of: ticket, from: previous, to: policy, at: at, db)
                old = previous
            } else {
                let clock = SLAClock(policy: policy, status: current.status, priority: current.priority, at: at)
                try SLAStateRecord.save(clock, for: ticket, policy: policy, at: at, db)
            }
            try AuditLog.record(db, ticket: ticket, actor: actor, action: .ticketPolicyChanged,
                                before: ["slaPolicy": old.map { .string($0.name) } ?? .null],
                                after: ["slaPolicy": .string(policy.name)], at: at)
            return try EventLog.append(.ticketPolicyChanged(ticket, id), by: actor, at: at, db) ?? 0
        }
    }

    static func auditValues(_ p: SLAPolicy) -> AuditLog.Values {
        let targets = { (t: PriorityTargets) in AuditValue.strings(TicketPriority.allCases.map { "\($0.rawValue)=\(t[$0])" }) }
        return ["id": .int(p.id.rawValue), "name": .string(p.name), "firstResponse": targets(p.firstResponse),
                "resolution": targets(p.resolution), "nextResponse": p.nextResponse.map(targets) ?? .null,
                "hours": .string("\(p.hours.start)-\(p.hours.end)"),
                "weekdays": .strings(p.hours.weekdays.sorted { $0.rawValue < $1.rawValue }.map(\.name)),
                "timeZone": .string(p.timeZoneID), "holidays": .strings(p.holidays.map(\.description)),
                "warningPercent": .int(Int64(p.warningPercent)), "isDefault": .bool(p.isDefault)]
    }
}
