import Foundation

/// Who asked: an existing contact, or a name and email matched case-insensitively
/// (and created when new).
public enum RequesterReference: Sendable, Equatable {
    case contact(ContactID)
    case email(name: String, email: String)
}

/// The fields of a new ticket. Defaults: Open, Medium, General, Web.
public struct NewTicket: Sendable {
    public var subject: String
    public var description: String
    public var requester: RequesterReference
    public var status: TicketStatus = .open
    public var priority: TicketPriority = .medium
    public var category: TicketCategory = .general
    public var channel: TicketChannel = .web
    public var dueAt: Date?
    public var assigneeID: AgentID?
    public var tags: [String] = []
    /// The SLA policy to run the ticket under; nil: the default policy (if any).
    public var slaPolicyID: SLAPolicyID?

    public init(subject: String, description: String, requester: RequesterReference) {
        self.subject = subject
        self.description = description
        self.requester = requester
    }
}

/// Changes to a ticket; nil means "leave as is". For the clearable fields `dueAt` and
/// `assigneeID`, `.some(nil)` clears the value.
public struct TicketPatch: Sendable, Equatable {
    public var subject: String?
    public var description: String?
    public var status: TicketStatus?
    public var priority: TicketPriority?
    public var category: TicketCategory?
    public var channel: TicketChannel?
    public var dueAt: Date??
    public var assigneeID: AgentID??
    /// Replaces the whole tag set.
    public var tags: [String]?
    /// Another requester: an existing contact, or a name and email matched case-insensitively.
    public var requester: RequesterReference?

    public init(
        subject: String? = nil, description: String? = nil, status: TicketStatus? = nil,
        priority: TicketPriority? = nil, category: TicketCategory? = nil, channel: TicketChannel? = nil,
        dueAt: Date?? = nil, assigneeID: AgentID?? = nil, tags: [String]? = nil, requester: RequesterReference? = nil
    ) {
        self.subject = subject
        self.description = description
        self.status = status
        self.priority = priority
        self.category = category
        self.channel = channel
        self.dueAt = dueAt
        self.assigneeID = assigneeID
        self.tags = tags
        self.requester = requester
    }
}

/// A ticket field, named as in the API.
public enum TicketField: String, Sendable, Codable, CaseIterable {
    case subject, description, status, priority, category, channel, dueAt, assignee, tags, requester
}

/// One field's value before and after a change.
public struct FieldChange: Sendable, Equatable, Codable {
    public let field: TicketField
    public let before: AuditValue
    public let after: AuditValue
}
