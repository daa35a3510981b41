import Foundation

/// What an audit entry records.
public enum AuditAction: String, Sendable, Codable, CaseIterable {
    case ticketCreated = "ticket.created"
    case ticketUpdated = "ticket.updated"
    case statusChanged = "ticket.status_changed"
    case assigned = "ticket.assigned"
    case ticketDeleted = "ticket.deleted"
    case replyAdded = "message.reply"
    case noteAdded = "message.note"
    case attachmentAdded = "attachment.added"
    case bulkUpdated = "ticket.bulk_updated"
    case bulkDeleted = "ticket.bulk_deleted"
    case agentCreated = "agent.created"
    case agentUpdated = "agent.updated"
    case roleCreated = "role.created"
    case roleUpdated = "role.updated"
    case roleDeleted = "role.deleted"
    case accountUpdated = "account.updated"
    case autoAssigned = "ticket.auto_assigned"
    case merged = "ticket.merged"
    case mergedInto = "ticket.merged_into"
    case watcherAdded = "watcher.added"
    case watcherRemoved = "watcher.removed"
    case linkAdded = "link.added"
    case linkRemoved = "link.removed"
    case linkUpdated = "link.updated"
    case cannedCreated = "canned.created"
    case cannedUpdated = "canned.updated"
    case cannedDeleted = "canned.deleted"
    case ruleCreated = "assignment_rule.created"
    case ruleUpdated = "assignment_rule.updated"
    case ruleDeleted = "assignment_rule.deleted"
    case rulesReordered = "assignment_rule.reordered"
    case slaPolicyCreated = "sla.policy_created"
    case slaPolicyUpdated = "sla.policy_updated"
    case slaPolicyDeleted = "sla.policy_deleted"
    case ticketPolicyChanged = "ticket.sla_policy_changed"
    case mailboxCreated = "mailbox.created"
    case mailboxUpdated = "mailbox.updated"
    case mailboxDeleted = "mailbox.deleted"
    case slaWarning = "sla.warning"
    case slaBreached = "sla.breached"
    case accessLinkIssued = "access_link.issued"
    case accessLinkRegenerated = "access_link.regenerated"
    case accessLinkExpiryChanged = "access_link.expiry_changed"
    case surveyCreated = "survey.created"
    case surveyRated = "survey.rated"
    case surveyCancelled = "survey.cancelled"
    case surveySettingsUpdated = "survey_settings.updated"
    case ccAdded = "cc.added"
    case ccRemoved = "cc.removed"
    case surveySent = "survey.sent"
    case surveyAnswerChanged = "survey.answer_changed"
    case workflowCreated = "workflow.created"
    case workflowUpdated = "workflow.updated"
    case workflowDeleted = "workflow.deleted"
    case workflowsReordered = "workflow.reordered"
    /// On a ticket's timeline: a workflow ran on it (`after` names the run for the run log).
    case workflowRan = "workflow.ran"
    case webhookCreated = "webhook.created"
    case webhookUpdated = "webhook.updated"
    case webhookDeleted = "webhook.deleted"
    case webhookSecretRotated = "webhook.secret_rotated"
}

/// Who did it, as recorded (an agent id survives the agent's later deletion).
public enum AuditActor: Sendable, Equatable, Codable {
    case agent(AgentID)
    case requester(ContactID)
    case system

    init(_ actor: Actor) {
        switch actor {
        case .agent(let principal): self = .agent(principal.agent.id)
        case .requester(let contact): self = .requester(contact)
        case .system: self = .system
        }
    }
}

/// One audit log entry: actor, time, action, and before/after values as JSON objects.
public struct AuditEntry: Sendable, Equatable {
    public let id: Int64
    /// The ticket concerned; kept after the ticket is deleted. Nil for account actions.
    public let ticketID: TicketID?
    public let actor: AuditActor
    public let action: AuditAction
    /// JSON object of the values before the change (nil for creations).
    public let before: String?
    /// JSON object of the values after the change (nil for deletions).
    public let after: String?
    public let at: Date
}

/// A JSON value in an audit before/after object.
public enum AuditValue: Sendable, Equatable, Codable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case strings([String])
    case null

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .strings(try container.decode([String].self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let s): try container.encode(s)
        case .int(let i): try container.encode(i)
        case .bool(let b): try container.encode(b)
        case .strings(let a): try container.encode(a)
        case .null: try container.encodeNil()
        }
    }

    /// A string or null.
    static func optional(_ value: String?) -> AuditValue { value.map { .string($0) } ?? .null }
    /// An ISO 8601 date or null.
    static func date(_ value: Date?) -> AuditValue {
        value.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null
    }
}
