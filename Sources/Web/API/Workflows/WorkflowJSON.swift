import Foundation
import Tickets

/// A workflow as the API shows it.
struct WorkflowJSON: Encodable {
    let id: Int64
    let name: String
    let position: Int
    let enabled: Bool
    let trigger: WorkflowTrigger
    let conditions: ConditionGroup
    let actions: [WorkflowAction]
    let createdAt: Date
    let updatedAt: Date

    init(_ w: Workflow) {
        id = w.id.rawValue
        name = w.name
        position = w.position
        enabled = w.enabled
        trigger = w.trigger
        conditions = w.conditions
        actions = w.actions
        createdAt = w.createdAt
        updatedAt = w.updatedAt
    }
}

/// A run of the run log.
struct WorkflowRunJSON: Encodable {
    let id: Int64
    let workflowId: Int64
    let workflowName: String
    let eventId: Int64?
    let trigger: String
    let ticketId: Int64?
    let emailId: Int64?
    let depth: Int
    let outcome: String
    let conditions: [CompiledConditions.Outcome]
    let actions: [ActionResult]
    let at: Date

    init(_ r: WorkflowRun) {
        id = r.id
        workflowId = r.workflowID.rawValue
        workflowName = r.workflowName
        eventId = r.eventID
        trigger = r.trigger
        ticketId = r.ticketID?.rawValue
        emailId = r.emailID
        depth = r.depth
        outcome = r.outcome
        conditions = r.conditions
        actions = r.actions
        at = r.at
    }
}

/// What the builder needs to offer fitting inputs: triggers, fields, operators, actions,
/// placeholders, templates and the limits.
struct WorkflowCatalogJSON: Encodable {
    struct Field: Encodable { let name: String; let label: String; let choices: [String]? }
    struct Template: Encodable { let key: String; let name: String; let description: String }
    let triggers: [String]
    let fields: [Field]
    let headerFieldPrefix: String
    let operators: [String]
    let actions: [String]
    let placeholders: [String]
    let templates: [Template]
    let maxDepth: Int
    let maxConditions: Int
    let maxPatternLength: Int

    static var current: WorkflowCatalogJSON {
        WorkflowCatalogJSON(
            triggers: WorkflowTrigger.Kind.allCases.map(\.rawValue),
            fields: WorkflowFields.catalog.map { Field(name: $0.name, label: $0.label, choices: $0.choices) },
            headerFieldPrefix: WorkflowFields.headerPrefix,
            operators: Condition.Operator.allCases.map(\.rawValue),
            actions: WorkflowAction.Kind.allCases.map(\.rawValue),
            placeholders: CannedTemplate.placeholders.map(\.name) + ["ticket.status", "ticket.priority", "ticket.category"],
            templates: WorkflowTemplates.all.map { Template(key: $0.key, name: $0.draft.name ?? $0.key, description: $0.description) },
            maxDepth: WorkflowRunner.maxDepth, maxConditions: CompiledConditions.maxConditions,
            maxPatternLength: BoundedPattern.maxPatternLength)
    }
}
