import Foundation

/// Everything the event log records. Every command appends its events in its own
/// transaction (`Database.command`), and every consumer (live rooms, notifications, the SLA
/// scheduler, and later email, workflows and webhooks) reads them back from the log.
///
/// Each event has a stable dotted `type` (the log's `type` column, e.g. `ticket.updated`)
/// and a JSON payload (`EventCoding`); `docs/architecture.md` lists them.
public enum DomainEvent: Sendable {
    case ticket(TicketEvent)
    /// A running SLA crossed its warning threshold or its target (written by the scheduler).
    case sla(SLAEvent)
    /// A notification was stored for an agent (written by the notifications consumer).
    case notificationCreated(Notification)
    /// An agent marked notifications as read; `unread` is their unread count afterwards.
    case notificationsRead(AgentID, unread: Int)
    /// A ticket was put on another SLA policy, so its deadlines moved.
    case ticketPolicyChanged(TicketID, SLAPolicyID)
    /// A policy was created, changed or deleted: the deadlines of its tickets may have moved.
    case slaPolicyChanged(SLAPolicyID, RecordAction)
    /// Access changed: live sockets opened with the old access must be re-checked.
    case access(AccessEvent)
    /// A CSAT survey was created, answered or cancelled.
    case survey(SurveyEvent)
    /// A configuration record changed (agents, roles, tokens, settings, canned responses,
    /// assignment rules, workflows, webhooks): `type` is `<entity>.<action>`.
    case record(RecordEvent)
    /// An email that joins no ticket was kept for the workflows to decide about.
    case email(EmailEvent)

    /// The ticket the event concerns, when there is one (the log's `ticket_id` column).
    public var ticketID: TicketID? {
        switch self {
        case .ticket(let event): event.ticketID
        case .sla(let event): event.ticketID
        case .notificationCreated(let notification): notification.ticketID
        case .ticketPolicyChanged(let id, _): id
        case .survey(let event): event.survey.ticketID
        case .notificationsRead, .slaPolicyChanged, .access, .record, .email: nil
        }
    }
}

/// Email events that are not about a ticket (yet).
public enum EmailEvent: Sendable, Equatable {
    /// `email.received`: email `emailID` (`inbound_emails`) arrived at `mailboxID`.
    case received(emailID: Int64, mailboxID: Int64?)
}

/// What happened to a configuration record.
public enum RecordAction: String, Sendable, Codable {
    case created, updated, deleted
}

/// A change to a configuration record, e.g. `canned_response.updated` with its id.
public struct RecordEvent: Sendable, Equatable {
    /// The record kind in snake case: `canned_response`, `assignment_rule`, `settings`, ...
    public let entity: String
    public let action: RecordAction
    public let id: Int64?

    public init(_ entity: String, _ action: RecordAction, id: Int64?) {
        self.entity = entity
        self.action = action
        self.id = id
    }
}

/// A change that can end or narrow what a signed-in agent may see. The live endpoint
/// closes or re-checks every socket opened with the old access when it reads one.
public enum AccessEvent: Sendable, Equatable {
    /// A browser session of the agent ended (sign-out). The event names no session (the
    /// log never holds credentials): the agent's live sockets are all re-checked.
    case sessionEnded(AgentID)
    /// Every session and token of the agent must be re-checked: deactivated, role or
    /// password changed, or every session ended.
    case agentChanged(AgentID)
    /// A role's permissions changed: every agent holding it must be re-checked.
    case roleChanged(RoleID)
    /// One API token was revoked.
    case tokenRevoked(AgentID, token: Int64)
}

extension TicketEvent {
    /// The ticket the event concerns.
    public var ticketID: TicketID {
        switch self {
        case .ticketCreated(let t), .ticketUpdated(let t, _), .statusChanged(let t, _, _), .assigned(let t, _, _),
             .messageAdded(let t, _), .watchersChanged(let t, _), .linksChanged(let t, _), .accessLinkChanged(let t, _),
             .ccsChanged(let t, _), .emailFailed(let t, _):
            t.id
        case .ticketDeleted(let id, _): id
        case .merged(let primary, _, _): primary.id
        }
    }
}

/// One event as stored in the log: its position (the commit order), when, who, and what.
public struct LoggedEvent: Sendable {
    /// The log position: increases with commit order; live clients see it as `seq`.
    public let id: Int64
    public let at: Date
    public let actor: EventActor
    public let event: DomainEvent
}

/// Who caused an event, as the log keeps it (names as they were at the time).
public struct EventActor: Sendable, Equatable {
    public enum Kind: String, Sendable { case agent, requester, system }
    public let kind: Kind
    public let id: Int64?
    public let name: String?

    public init(kind: Kind, id: Int64?, name: String?) {
        self.kind = kind
        self.id = id
        self.name = name
    }

    public init(_ actor: Actor) {
        switch actor {
        case .agent(let principal): self.init(kind: .agent, id: principal.agent.id.rawValue, name: principal.agent.name)
        case .requester(let contact): self.init(kind: .requester, id: contact.rawValue, name: nil)
        case .system: self.init(kind: .system, id: nil, name: nil)
        }
    }

    public static let system = EventActor(kind: .system, id: nil, name: nil)

    /// The agent, when an agent caused the event.
    public var agentID: AgentID? { kind == .agent ? id.map(AgentID.init) : nil }
}
