import Foundation

/// The fields of a workflow to create (name, trigger and actions required) or to change
/// (only the fields given change).
public struct WorkflowDraft: Sendable, Decodable {
    public var name: String?
    public var enabled: Bool?
    public var trigger: WorkflowTrigger?
    public var conditions: ConditionGroup?
    public var actions: [WorkflowAction]?

    public init(name: String? = nil, enabled: Bool? = nil, trigger: WorkflowTrigger? = nil, conditions: ConditionGroup? = nil,
                actions: [WorkflowAction]? = nil) {
        self.name = name
        self.enabled = enabled
        self.trigger = trigger
        self.conditions = conditions
        self.actions = actions
    }
}

/// The checks a workflow passes before it is saved: each field in range, patterns compiled,
/// actions fitting the trigger, agents and mailboxes that exist.
public enum WorkflowRules {
    public static let maxNameLength = 100
    /// Actions in one workflow at most.
    public static let maxActions = 20
    /// The longest email subject and note or email body a workflow may hold (before placeholders).
    static let maxSubjectLength = 250
    static let maxBodyLength = 20_000
    /// Agents one "notify agents" action may name, and its message's longest text.
    static let maxNotified = 50
    static let maxNotificationLength = 200
    /// The longest a time trigger may wait: a year.
    public static let maxHours = 8_760.0

    static func name(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(name, field: "name", max: maxNameLength)
        guard !name.isEmpty else { throw DomainError.validation("name", "Enter a name (up to \(maxNameLength) characters).") }
        return name
    }

    static func check(_ trigger: WorkflowTrigger, _ db: Connection) throws {
        switch trigger.kind {
        case .emailReceived:
            if let mailbox = trigger.mailboxId, (try? MailboxRecord.load(MailboxID(mailbox), db)) == nil {
                throw DomainError.validation("trigger.mailboxId", "No such mailbox.")
            }
        case .timeElapsed:
            guard trigger.status != nil else { throw DomainError.validation("trigger.status", "Choose the status the ticket stays in.") }
            guard let hours = trigger.hours, hours > 0, hours <= maxHours else {
                throw DomainError.validation("trigger.hours", "Give a number of hours above 0 and at most \(Int(maxHours)).")
            }
        case .ticketCreated, .ticketUpdated, .replyAdded, .slaWarning, .slaBreached, .surveyRated:
            break
        }
    }

    static func check(_ actions: [WorkflowAction], trigger: WorkflowTrigger, _ db: Connection) throws {
        guard !actions.isEmpty, actions.count <= maxActions else {
            throw DomainError.validation("actions", "Give 1 to \(maxActions) actions.")
        }
        var ticketMade = trigger.kind != .emailReceived
        for (i, action) in actions.enumerated() {
            let path = "actions[\(i)]"
            switch action.type {
            case .createTicket:
                guard trigger.kind == .emailReceived else {
                    throw DomainError.validation(path + ".type", "Only a workflow started by an email can create a ticket.")
                }
                guard !ticketMade else { throw DomainError.validation(path + ".type", "The ticket is made once.") }
                ticketMade = true
                if let tags = action.tags { _ = try TicketRules.tags(tags) }
                if let agent = action.agentId { try agentExists(agent, path + ".agentId", db) }
                continue
            case .callWebhook:
                guard let id = action.webhookId, try WebhookRecord.find(id, db) != nil else {
                    throw DomainError.validation(path + ".webhookId", "Choose a webhook.")
                }
                continue
            case .setField, .addTags, .removeTags, .assign, .addNote, .sendEmail, .notifyAgents:
                guard ticketMade else {
                    throw DomainError.validation(path + ".type", "An email workflow acts on a ticket only after a create_ticket action.")
                }
            }
            try checkTicketAction(action, path: path, db)
        }
    }

    private static func checkTicketAction(_ action: WorkflowAction, path: String, _ db: Connection) throws {
        switch action.type {
        case .setField:
            let value = action.value ?? ""
            let valid = switch action.field {
            case "status": TicketStatus(rawValue: value) != nil
            case "priority": TicketPriority(rawValue: value) != nil
            case "category": TicketCategory(rawValue: value) != nil
            default: false
            }
            guard ["status", "priority", "category"].contains(action.field ?? "") else {
                throw DomainError.validation(path + ".field", "Choose status, priority or category.")
            }
            guard valid else { throw DomainError.validation(path + ".value", "\(value.prefix(40)) is not a \(action.field ?? "") value.") }
        case .addTags, .removeTags:
            guard let tags = action.tags, !tags.isEmpty else { throw DomainError.validation(path + ".tags", "Give at least one tag.") }
            _ = try TicketRules.tags(tags)
        case .assign:
            if let agent = action.agentId { try agentExists(agent, path + ".agentId", db) }
        case .addNote:
            try text(action.body, path + ".body", max: maxBodyLength)
        case .sendEmail:
            guard let to = action.to else { throw DomainError.validation(path + ".to", "Choose requester, assignee or address.") }
            if to == .address { _ = try EmailAddress.normalise(action.address ?? "", field: path + ".address") }
            try text(action.subject, path + ".subject", max: maxSubjectLength)
            try text(action.body, path + ".body", max: maxBodyLength)
        case .notifyAgents:
            guard let ids = action.agentIds, !ids.isEmpty, ids.count <= maxNotified else {
                throw DomainError.validation(path + ".agentIds", "Choose 1 to \(maxNotified) agents.")
            }
            for id in ids { try agentExists(id, path + ".agentIds", db) }
            try text(action.body, path + ".body", max: maxNotificationLength)
        case .createTicket, .callWebhook:
            break
        }
    }

    private static func text(_ value: String?, _ field: String, max: Int) throws {
        guard let value, !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DomainError.validation(field, "Enter the text.")
        }
        try TextLimit.check(value, field: field, max: max)
    }

    private static func agentExists(_ id: Int64, _ field: String, _ db: Connection) throws {
        guard let agent = try AgentRecord.find(AgentID(id), db), agent.active else { throw DomainError.validation(field, "Choose an active agent.") }
    }
}
