import Foundation

/// Workflows: listed, created from scratch or from a template, changed (enabled, disabled),
/// reordered and deleted by users with `workflow.manage`; every change validated, written
/// and audited (with its `workflow.*` event) in one transaction. Also the run log and the
/// dry run. The `WorkflowRunner` runs them.
public final class WorkflowService: Sendable {
    let database: Database
    let now: Clock
    let tokenKey: CredentialKey

    /// Workflows an account may have: each event is checked against every enabled one.
    public static let maxWorkflows = 500

    public init(database: Database, tokenKey: CredentialKey, now: @escaping Clock) {
        self.database = database
        self.tokenKey = tokenKey
        self.now = now
    }

    /// Every workflow in evaluation order. Needs `workflow.manage`.
    public func workflows(for viewer: Actor) async throws -> [Workflow] {
        try require(.workflowManage, for: viewer)
        return try await database.read { db in try WorkflowRecord.all(db) }
    }

    /// Workflow `id`. Needs `workflow.manage`. Throws `.notFound`.
    public func workflow(_ id: WorkflowID, for viewer: Actor) async throws -> Workflow {
        try require(.workflowManage, for: viewer)
        return try await database.read { db in try WorkflowRecord.load(id, db) }
    }

    /// Adds a workflow after the existing ones (disabled unless `draft.enabled`). Needs
    /// `workflow.manage`. Throws `.validation` naming the field at fault (`name`,
    /// `trigger.hours`, `conditions[0].value` for a refused pattern, `actions[1].agentId`...).
    public func create(_ draft: WorkflowDraft, by actor: Actor) async throws -> Workflow {
        try require(.workflowManage, for: actor)
        let name = try WorkflowRules.name(draft.name ?? "")
        guard let trigger = draft.trigger else { throw DomainError.validation("trigger", "Choose a trigger.") }
        let conditions = draft.conditions ?? ConditionGroup()
        _ = try CompiledConditions(conditions)
        let actions = draft.actions ?? []
        let at = now()
        return try await database.write { db in
            try WorkflowRules.check(trigger, db)
            try WorkflowRules.check(actions, trigger: trigger, db)
            let count = try WorkflowRecord.countAndLastPosition(db)
            guard count.count < Self.maxWorkflows else {
                throw DomainError(.conflict, "The account has \(Self.maxWorkflows) workflows; delete one first.")
            }
            let workflow = try WorkflowRecord.insert(Workflow(
                id: WorkflowID(0), name: name, position: (count.last ?? 0) + 1,
                enabled: draft.enabled ?? false, trigger: trigger, conditions: conditions, actions: actions,
                createdAt: at, updatedAt: at), db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .workflowCreated, before: nil,
                                after: try Self.auditValues(workflow), at: at, subject: workflow.id.rawValue)
            return workflow
        }
    }

    /// Changes the fields `draft` gives. Needs `workflow.manage`. Throws `.notFound`, `.validation`.
    public func update(_ id: WorkflowID, _ draft: WorkflowDraft, by actor: Actor) async throws -> Workflow {
        try require(.workflowManage, for: actor)
        let name = try draft.name.map(WorkflowRules.name)
        if let conditions = draft.conditions { _ = try CompiledConditions(conditions) }
        let at = now()
        return try await database.write { db in
            let current = try WorkflowRecord.load(id, db)
            var next = current
            if let name { next.name = name }
            if let enabled = draft.enabled { next.enabled = enabled }
            if let trigger = draft.trigger { next.trigger = trigger }
            if let conditions = draft.conditions { next.conditions = conditions }
            if let actions = draft.actions { next.actions = actions }
            guard next != current else { return current }
            try WorkflowRules.check(next.trigger, db)
            try WorkflowRules.check(next.actions, trigger: next.trigger, db)
            next.updatedAt = at
            try WorkflowRecord.update(next, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .workflowUpdated, before: try Self.auditValues(current),
                                after: try Self.auditValues(next), at: at, subject: id.rawValue)
            return next
        }
    }

    /// Deletes workflow `id` (its run log stays). Needs `workflow.manage`. Throws `.notFound`.
    public func delete(_ id: WorkflowID, by actor: Actor) async throws {
        try require(.workflowManage, for: actor)
        let at = now()
        try await database.write { db in
            let current = try WorkflowRecord.load(id, db)
            try WorkflowRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .workflowDeleted, before: try Self.auditValues(current),
                                after: nil, at: at, subject: id.rawValue)
        }
    }

    /// Puts the workflows in the order of `ids`, which must name each exactly once. Needs
    /// `workflow.manage`. Throws `.validation("ids")`.
    public func reorder(_ ids: [WorkflowID], by actor: Actor) async throws -> [Workflow] {
        try require(.workflowManage, for: actor)
        let at = now()
        return try await database.write { db in
            let current = try WorkflowRecord.all(db)
            guard ids.count == current.count, Set(ids) == Set(current.map(\.id)) else {
                throw DomainError.validation("ids", "List every workflow id exactly once.")
            }
            for (index, id) in ids.enumerated() {
                try WorkflowRecord.setPosition(id, index + 1, at: at, db)
            }
            try AuditLog.record(db, ticket: nil, actor: actor, action: .workflowsReordered,
                                before: ["order": .strings(current.map(\.id.description))],
                                after: ["order": .strings(ids.map(\.description))], at: at)
            return try WorkflowRecord.all(db)
        }
    }

    /// Creates a workflow from template `key` (`WorkflowTemplates.all`), enabled when `enabled`.
    /// Needs `workflow.manage`. Throws `.notFound` for an unknown template.
    public func createFromTemplate(_ key: String, enabled: Bool, by actor: Actor) async throws -> Workflow {
        guard let template = WorkflowTemplates.all.first(where: { $0.key == key }) else { throw DomainError.notFound("Template") }
        var draft = template.draft
        draft.enabled = enabled
        return try await create(draft, by: actor)
    }

    static func auditValues(_ w: Workflow) throws -> AuditLog.Values {
        ["name": .string(w.name), "enabled": .bool(w.enabled), "trigger": .string(try WorkflowRecord.json(w.trigger)),
         "conditions": .string(try WorkflowRecord.json(w.conditions)), "actions": .string(try WorkflowRecord.json(w.actions))]
    }
}
