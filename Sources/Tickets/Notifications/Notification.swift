import Foundation

/// What a notification is about. Each kind can be switched off per agent.
public enum NotificationKind: String, CaseIterable, Codable, Sendable {
    /// A ticket was assigned to me.
    case assigned
    /// A public reply (from a colleague or the requester) on a ticket I am assigned to or watch.
    case reply
    /// The status of a ticket I am assigned to or watch changed.
    case statusChanged = "status_changed"
    /// A ticket I am assigned to is about to breach its SLA.
    case slaWarning = "sla_warning"
    /// A ticket I am assigned to breached its SLA.
    case slaBreached = "sla_breached"
    /// The customer rated a ticket I resolved or am assigned to (low scores say so first).
    case csatRated = "csat_rated"
    /// An email carrying my reply could not be delivered (the mail server refused it for good).
    case emailFailed = "email_failed"
    /// A colleague mentioned me (`@Name`) in an internal note.
    case mentioned
    /// A workflow's "notify agents" action named me.
    case workflow
}

/// One entry of an agent's notification feed.
public struct Notification: Sendable, Equatable, Codable {
    public let id: Int64
    public let agentID: AgentID
    public let kind: NotificationKind
    public let ticketID: TicketID?
    public let ticketReference: String
    public let title: String
    public let createdAt: Date
    public var readAt: Date?
}

/// A notification to create: who gets it and what it says.
public struct NotificationDraft: Sendable, Equatable {
    public let recipient: AgentID
    public let kind: NotificationKind
    public let ticketID: TicketID
    public let ticketReference: String
    public let title: String

    public init(recipient: AgentID, kind: NotificationKind, ticketID: TicketID, ticketReference: String, title: String) {
        self.recipient = recipient
        self.kind = kind
        self.ticketID = ticketID
        self.ticketReference = ticketReference
        self.title = title
    }
}
