import Foundation

public struct WorkflowID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// "When this happens, if these conditions hold, do these actions." Workflows are evaluated
/// in `position` order by the `WorkflowRunner`, a consumer of the event log.
public struct Workflow: Sendable, Equatable {
    public var id: WorkflowID
    public var name: String
    public var position: Int
    public var enabled: Bool
    public var trigger: WorkflowTrigger
    public var conditions: ConditionGroup
    public var actions: [WorkflowAction]
    public var createdAt: Date
    public var updatedAt: Date
}

/// What starts a workflow. `kind` says which events; the other fields narrow it where the
/// kind takes them (each is ignored elsewhere and validated when saved).
public struct WorkflowTrigger: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An email that does not belong to a ticket arrived (at `mailboxId`, or any mailbox).
        case emailReceived = "email.received"
        case ticketCreated = "ticket.created"
        /// A ticket changed: any field, only `field`, or its status became `status`.
        case ticketUpdated = "ticket.updated"
        /// A public reply was added, by `by` (requester or agent) or by anyone.
        case replyAdded = "reply.added"
        case slaWarning = "sla.warning"
        case slaBreached = "sla.breached"
        case surveyRated = "survey.rated"
        /// A ticket has been in `status` for `hours` (business hours of its SLA calendar when
        /// `businessHours`), checked on a schedule.
        case timeElapsed = "time.elapsed"
    }

    /// Who wrote a reply, for `reply.added`.
    public enum ReplyAuthor: String, Sendable, Codable, CaseIterable { case requester, agent }

    public var kind: Kind
    public var mailboxId: Int64?
    public var field: TicketField?
    public var status: TicketStatus?
    public var by: ReplyAuthor?
    public var hours: Double?
    public var businessHours: Bool?

    public init(kind: Kind, mailboxId: Int64? = nil, field: TicketField? = nil, status: TicketStatus? = nil,
                by: ReplyAuthor? = nil, hours: Double? = nil, businessHours: Bool? = nil) {
        self.kind = kind
        self.mailboxId = mailboxId
        self.field = field
        self.status = status
        self.by = by
        self.hours = hours
        self.businessHours = businessHours
    }
}

/// All or any of a list of conditions and nested groups. An empty group holds.
public struct ConditionGroup: Sendable, Equatable, Codable {
    public enum Match: String, Sendable, Codable { case all, any }
    public var match: Match
    public var conditions: [ConditionItem]

    public init(match: Match = .all, conditions: [ConditionItem] = []) {
        self.match = match
        self.conditions = conditions
    }
}

/// A condition or a nested group (JSON: a group is an object with `match`).
public indirect enum ConditionItem: Sendable, Equatable, Codable {
    case condition(Condition)
    case group(ConditionGroup)

    private enum Keys: String, CodingKey { case match }

    public init(from decoder: Decoder) throws {
        let keys = try decoder.container(keyedBy: Keys.self)
        if keys.contains(.match) { self = .group(try ConditionGroup(from: decoder)) } else { self = .condition(try Condition(from: decoder)) }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .condition(let c): try c.encode(to: encoder)
        case .group(let g): try g.encode(to: encoder)
        }
    }
}

/// One test of one field: `ticket.priority equals high`, `email.subject matches ^invoice`.
public struct Condition: Sendable, Equatable, Codable {
    public enum Operator: String, Sendable, Codable, CaseIterable {
        case equals, notEquals = "not_equals", oneOf = "one_of", contains, startsWith = "starts_with",
             endsWith = "ends_with", matches, isEmpty = "is_empty"
    }

    public var field: String
    public var op: Operator
    /// The operand of every operator but `one_of` (which takes `values`) and `is_empty`.
    public var value: String?
    public var values: [String]?

    public init(field: String, op: Operator, value: String? = nil, values: [String]? = nil) {
        self.field = field
        self.op = op
        self.value = value
        self.values = values
    }
}

/// One step of a workflow. A flat record: `type` says which, and which other fields it takes.
public struct WorkflowAction: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Email triggers only: make a ticket of the email (category, priority, tags, agentId).
        case createTicket = "create_ticket"
        /// `field` (status, priority or category) to `value`.
        case setField = "set_field"
        case addTags = "add_tags"
        case removeTags = "remove_tags"
        /// To `agentId`; without one, unassign.
        case assign
        /// An internal note with `body` (placeholders filled).
        case addNote = "add_note"
        /// An email from `subject`/`body` (placeholders filled) to `to`: requester, assignee or `address`.
        case sendEmail = "send_email"
        /// POST the event as JSON to webhook `webhookId`.
        case callWebhook = "call_webhook"
        /// A notification (`body`, placeholders filled, the title) to each of `agentIds`.
        case notifyAgents = "notify_agents"
    }

    /// Who a `send_email` goes to.
    public enum Recipient: String, Sendable, Codable, CaseIterable { case requester, assignee, address }

    public var type: Kind
    public var field: String?
    public var value: String?
    public var category: TicketCategory?
    public var priority: TicketPriority?
    public var tags: [String]?
    public var agentId: Int64?
    public var to: Recipient?
    public var address: String?
    public var subject: String?
    public var body: String?
    public var webhookId: Int64?
    public var agentIds: [Int64]?

    public init(type: Kind) { self.type = type }
}
