import Foundation

/// Auto-assignment rules: listed, created, changed (including enabling and disabling),
/// reordered and deleted by users with `assignment.manage`. Every change is validated,
/// written and audited in one transaction. Rules run on ticket creation (`AutoAssigner`).
public final class AssignmentRuleService: Sendable {
    let database: Database
    let now: Clock

    public static let maxNameLength = 100
    /// Agents one list (a pool, or one category's route) may name at most.
    public static let maxAgentsPerList = 200
    /// The largest open-ticket cap accepted.
    public static let maxOpenCap = 10_000

    public init(database: Database, now: @escaping Clock) {
        self.database = database
        self.now = now
    }

    /// Every rule in evaluation order. Needs `assignment.manage`.
    public func rules(for viewer: Actor) async throws -> [AssignmentRule] {
        try require(.assignmentManage, for: viewer)
        return try await database.read { db in try AssignmentRuleRecord.all(db) }
    }

    /// Rule `id`. Needs `assignment.manage`. Throws `.notFound`.
    public func rule(_ id: AssignmentRuleID, for viewer: Actor) async throws -> AssignmentRule {
        try require(.assignmentManage, for: viewer)
        return try await database.read { db in try AssignmentRuleRecord.load(id, db) }
    }

    /// Adds a rule after the existing ones (enabled unless `draft.enabled` is false). Needs
    /// `assignment.manage`. Throws `.validation` naming `name`, `method`, `agentIds`,
    /// `categoryAgents` or `maxOpenTickets`.
    public func create(_ draft: AssignmentRuleDraft, by actor: Actor) async throws -> AssignmentRule {
        try require(.assignmentManage, for: actor)
        let name = try Self.name(draft.name ?? "")
        guard let method = draft.method else { throw DomainError.validation("method", "Choose round_robin or category_based.") }
        let cap = try Self.cap(draft.maxOpenPerAgent ?? nil)
        let at = now()
        return try await database.write { db in
            try Self.checkAgents(method, db)
            let last = try AssignmentRuleRecord.lastPosition(db)
            let rule = try AssignmentRuleRecord.insert(AssignmentRule(
                id: AssignmentRuleID(0), name: name, position: last + 1, enabled: draft.enabled ?? true,
                conditions: draft.conditions ?? AssignmentConditions(), method: method, maxOpenPerAgent: cap,
                createdAt: at, updatedAt: at), db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .ruleCreated, before: nil, after: Self.auditValues(rule), at: at, subject: rule.id.rawValue)
            return rule
        }
    }

    /// Changes the fields `draft` sets. Needs `assignment.manage`. Throws `.notFound`, `.validation`.
    public func update(_ id: AssignmentRuleID, _ draft: AssignmentRuleDraft, by actor: Actor) async throws -> AssignmentRule {
        try require(.assignmentManage, for: actor)
        let name = try draft.name.map(Self.name)
        let cap = try draft.maxOpenPerAgent.map(Self.cap)
        let at = now()
        return try await database.write { db in
            let current = try AssignmentRuleRecord.load(id, db)
            var next = current
            if let name { next.name = name }
            if let enabled = draft.enabled { next.enabled = enabled }
            if let conditions = draft.conditions { next.conditions = conditions }
            if let method = draft.method {
                try Self.checkAgents(method, db)
                next.method = method
            }
            if let cap { next.maxOpenPerAgent = cap }
            guard next != current else { return current }
            next.updatedAt = at
            try AssignmentRuleRecord.update(next, methodChanged: next.method != current.method, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .ruleUpdated, before: Self.auditValues(current),
                                after: Self.auditValues(next), at: at, subject: id.rawValue)
            return next
        }
    }

    /// Deletes rule `id` (the others keep their order). Needs `assignment.manage`. Throws `.notFound`.
    public func delete(_ id: AssignmentRuleID, by actor: Actor) async throws {
        try require(.assignmentManage, for: actor)
        let at = now()
        try await database.write { db in
            let current = try AssignmentRuleRecord.load(id, db)
            try AssignmentRuleRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .ruleDeleted, before: Self.auditValues(current),
                                after: nil, at: at, subject: id.rawValue)
        }
    }

    /// Puts the rules in the order of `ids`, which must name every rule exactly once. Needs
    /// `assignment.manage`. Returns the rules in their new order. Throws `.validation("ids")`.
    public func reorder(_ ids: [AssignmentRuleID], by actor: Actor) async throws -> [AssignmentRule] {
        try require(.assignmentManage, for: actor)
        let at = now()
        return try await database.write { db in
            let current = try AssignmentRuleRecord.all(db)
            guard ids.count == current.count, Set(ids) == Set(current.map(\.id)) else {
                throw DomainError.validation("ids", "List every rule id exactly once.")
            }
            for (index, id) in ids.enumerated() {
                try AssignmentRuleRecord.setPosition(id, index + 1, at: at, db)
            }
            try AuditLog.record(db, ticket: nil, actor: actor, action: .rulesReordered,
                                before: ["order": .strings(current.map(\.id.description))],
                                after: ["order": .strings(ids.map(\.description))], at: at)
            return try AssignmentRuleRecord.all(db)
        }
    }

    static func name(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(name, field: "name", max: maxNameLength)
        guard !name.isEmpty else {
            throw DomainError.validation("name", "Enter a name (up to \(maxNameLength) characters).")
        }
        return name
    }

    static func cap(_ raw: Int?) throws -> Int? {
        guard let raw else { return nil }
        guard (1...maxOpenCap).contains(raw) else {
            throw DomainError.validation("maxOpenTickets", "Use a cap from 1 to \(maxOpenCap), or null for none.")
        }
        return raw
    }

    /// Every list non-empty, without repeats, within the size limit, naming existing agents.
    static func checkAgents(_ method: AssignmentMethod, _ db: Connection) throws {
        let (field, lists): (String, [[AgentID]]) = switch method {
        case .roundRobin(let pool): ("agentIds", [pool])
        case .categoryBased(let routes): ("categoryAgents", routes.isEmpty ? [[]] : Array(routes.values))
        }
        for list in lists {
            guard !list.isEmpty, list.count <= maxAgentsPerList, Set(list).count == list.count else {
                throw DomainError.validation(field, "List 1 to \(maxAgentsPerList) different agents.")
            }
            for agent in list where try AgentRecord.find(agent, db) == nil {
                throw DomainError.validation(field, "Agent \(agent) does not exist.")
            }
        }
    }

    static func auditValues(_ rule: AssignmentRule) -> AuditLog.Values {
        ["ruleID": .int(rule.id.rawValue), "name": .string(rule.name), "position": .int(Int64(rule.position)),
         "enabled": .bool(rule.enabled), "method": .string(rule.method.name),
         "agents": .strings(rule.method.agents.map(\.description)),
         "categories": .strings(rule.conditions.categories.map(\.rawValue).sorted()),
         "priorities": .strings(rule.conditions.priorities.map(\.rawValue).sorted()),
         "channels": .strings(rule.conditions.channels.map(\.rawValue).sorted()),
         "maxOpenTickets": rule.maxOpenPerAgent.map { .int(Int64($0)) } ?? .null]
    }
}
