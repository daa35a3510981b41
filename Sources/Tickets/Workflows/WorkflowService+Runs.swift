import Foundation

/// One logged workflow run: the event, the conditions as evaluated, and each action's result.
public struct WorkflowRun: Sendable, Equatable {
    public let id: Int64
    public let workflowID: WorkflowID
    public let workflowName: String
    public let eventID: Int64?
    public let trigger: String
    public let ticketID: TicketID?
    public let emailID: Int64?
    /// 1 for a run started by a person's change; n + 1 for one started by a depth-n run's change.
    public let depth: Int
    /// `done`, `failed` (some action failed; the others ran) or `depth_limit` (matched, not run).
    public let outcome: String
    public let conditions: [CompiledConditions.Outcome]
    public let actions: [ActionResult]
    public let at: Date
}

/// What a workflow would do with a ticket or an email, without doing it.
public struct DryRunResult: Sendable, Equatable {
    public let matched: Bool
    public let conditions: [CompiledConditions.Outcome]
    /// One line per action: what it would do ("set priority to high", "send an email to ...").
    public let actions: [String]
}

/// What a dry run evaluates against.
public enum DryRunSubject: Sendable {
    case ticket(TicketID)
    /// A pasted email, parsed by the caller (the `Mail` module lives in `Web`).
    case email(StoredEmail)
}

extension WorkflowService {
    /// The run log, newest first: of one workflow, of one ticket, or all; `before` pages by run
    /// id. Needs `workflow.manage`.
    public func runs(workflow: WorkflowID? = nil, ticket: TicketID? = nil, before: Int64? = nil, limit: Int = 50,
                     for viewer: Actor) async throws -> [WorkflowRun] {
        try require(.workflowManage, for: viewer)
        let limit = min(max(limit, 1), 200)
        return try await database.read { db in
            try WorkflowRunRecord.list(workflow: workflow, ticket: ticket, before: before ?? Int64.max, limit: limit, db)
        }
    }

    /// Run `id`. Needs `workflow.manage`. Throws `.notFound`.
    public func run(_ id: Int64, for viewer: Actor) async throws -> WorkflowRun {
        try require(.workflowManage, for: viewer)
        return try await database.read { db in
            guard let run = try WorkflowRunRecord.find(id, db) else { throw DomainError.notFound("Workflow run") }
            return run
        }
    }

    /// Evaluates `draft`'s conditions (a saved workflow's, or unsaved ones from the builder)
    /// against `subject` and says what its actions would do. Changes nothing. Needs
    /// `workflow.manage`. Throws `.validation` for conditions that do not compile, `.notFound`.
    public func dryRun(_ draft: WorkflowDraft, against subject: DryRunSubject, for viewer: Actor) async throws -> DryRunResult {
        try require(.workflowManage, for: viewer)
        let conditions = try CompiledConditions(draft.conditions ?? ConditionGroup())
        let actions = draft.actions ?? []
        return try await database.read { db in
            var facts = WorkflowFacts()
            switch subject {
            case .ticket(let id):
                facts.ticket = try TicketRecord.load(id, db)
                facts.contact = try ContactStore.find(facts.ticket!.requesterID, db)
            case .email(let email):
                facts.email = email
            }
            var trace: [CompiledConditions.Outcome]? = []
            let matched = conditions.evaluate(facts, trace: &trace)
            return DryRunResult(matched: matched, conditions: trace ?? [], actions: try actions.map { try Self.describe($0, facts, db) })
        }
    }

    private static func describe(_ action: WorkflowAction, _ facts: WorkflowFacts, _ db: Connection) throws -> String {
        switch action.type {
        case .createTicket:
            var parts = ["create a ticket from the email" + (facts.email.map { " \"\($0.subject.prefix(80))\" from \($0.fromAddress)" } ?? "")]
            if let c = action.category { parts.append("category \(c.rawValue)") }
            if let p = action.priority { parts.append("priority \(p.rawValue)") }
            if let tags = action.tags, !tags.isEmpty { parts.append("tags \(tags.joined(separator: ", "))") }
            if let agent = action.agentId { parts.append("assigned to agent \(agent)") } else { parts.append("assigned by the auto-assignment rules") }
            return parts.joined(separator: ", ")
        case .setField: return "set \(action.field ?? "?") to \(action.value ?? "?")"
        case .addTags: return "add tags \((action.tags ?? []).joined(separator: ", "))"
        case .removeTags: return "remove tags \((action.tags ?? []).joined(separator: ", "))"
        case .assign:
            guard let id = action.agentId else { return "unassign" }
            return "assign to \(try AgentRecord.find(AgentID(id), db)?.name ?? "agent \(id)")"
        case .addNote: return "add an internal note"
        case .sendEmail:
            let to = action.to == .address ? (action.address ?? "?") : (action.to ?? .requester).rawValue
            return "send an email to \(to) (subject \"\((action.subject ?? "").prefix(80))\") through the outbox, unless a loop rule holds it back"
        case .notifyAgents:
            let names = try (action.agentIds ?? []).map { try AgentRecord.find(AgentID($0), db)?.name ?? "agent \($0)" }
            return "notify \(names.joined(separator: ", "))"
        case .callWebhook:
            let name = try action.webhookId.flatMap { try WebhookRecord.find($0, db)?.name }
            return "call webhook \(name ?? "?") (signed JSON POST)"
        }
    }
}
