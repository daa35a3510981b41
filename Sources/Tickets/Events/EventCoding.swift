import Foundation

/// The stored form of a `DomainEvent`: a dotted `type` and a JSON payload (dates as
/// milliseconds since 1970, like every date column). A payload decodes back to the same
/// event; a type this build does not know is an error, never a guess.
enum EventCoding {
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    /// The event's type and payload JSON. Throws only if a value cannot be encoded (a
    /// non-finite number), which the domain never produces.
    static func encode(_ event: DomainEvent) throws -> (type: String, payload: String) {
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        switch event {
        case .ticket(let ticketEvent):
            switch ticketEvent {
            case .ticketCreated(let ticket): return ("ticket.created", try json(TicketPayload(ticket: ticket)))
            case .ticketUpdated(let ticket, let changes):
                return ("ticket.updated", try json(TicketPayload(ticket: ticket, changes: changes)))
            case .statusChanged(let ticket, let from, let to):
                return ("ticket.status_changed", try json(StatusPayload(ticket: ticket, from: from, to: to)))
            case .assigned(let ticket, let from, let to):
                return ("ticket.assigned", try json(AssignedPayload(ticket: ticket, from: from, to: to)))
            case .messageAdded(let ticket, let message):
                return ("message.added", try json(MessagePayload(ticket: ticket, message: message)))
            case .ticketDeleted(let id, let reference):
                return ("ticket.deleted", try json(DeletedPayload(ticketId: id, reference: reference)))
            case .merged(let primary, let secondary, let moved):
                return ("ticket.merged", try json(MergedPayload(primary: primary, secondary: secondary, moved: moved)))
            case .watchersChanged(let ticket, let watchers):
                return ("ticket.watchers_changed", try json(WatchersPayload(ticket: ticket, watchers: watchers)))
            case .linksChanged(let ticket, let links):
                return ("ticket.links_changed", try json(LinksPayload(ticket: ticket, links: links)))
            case .accessLinkChanged(let ticket, let change):
                return ("ticket.access_link_changed", try json(AccessLinkPayload(ticket: ticket, change: change)))
            case .ccsChanged(let ticket, let ccs):
                return ("ticket.ccs_changed", try json(CCsPayload(ticket: ticket, ccs: ccs)))
            case .emailFailed(let ticket, let failure):
                return ("email.failed", try json(EmailFailedPayload(ticket: ticket, failure: failure)))
            }
        case .sla(let slaEvent):
            switch slaEvent {
            case .warning(let id, let metric, let at): return ("sla.warning", try json(SLAPayload(ticketId: id, metric: metric, at: at)))
            case .breached(let id, let metric, let at): return ("sla.breached", try json(SLAPayload(ticketId: id, metric: metric, at: at)))
            }
        case .notificationCreated(let notification):
            return ("notification.created", try json(NotificationPayload(notification: notification)))
        case .notificationsRead(let agent, let unread):
            return ("notifications.read", try json(ReadPayload(agentId: agent, unread: unread)))
        case .ticketPolicyChanged(let ticket, let policy):
            return ("ticket.sla_policy_changed", try json(TicketPolicyPayload(ticketId: ticket, policyId: policy)))
        case .slaPolicyChanged(let policy, let action):
            return ("sla_policy.\(action.rawValue)", try json(RecordPayload(id: policy.rawValue)))
        case .access(let access):
            switch access {
            case .sessionEnded(let agent): return ("access.session_ended", try json(AccessPayload(agentId: agent.rawValue)))
            case .agentChanged(let agent): return ("access.agent_changed", try json(AccessPayload(agentId: agent.rawValue)))
            case .roleChanged(let role): return ("access.role_changed", try json(AccessPayload(roleId: role.rawValue)))
            case .tokenRevoked(let agent, let token):
                return ("access.token_revoked", try json(AccessPayload(agentId: agent.rawValue, tokenId: token)))
            }
        case .survey(let event):
            switch event {
            case .created(let survey): return ("survey.created", try json(SurveyPayload(survey: survey)))
            case .rated(let survey): return ("survey.rated", try json(SurveyPayload(survey: survey)))
            case .cancelled(let survey): return ("survey.cancelled", try json(SurveyPayload(survey: survey)))
            case .sent(let survey): return ("survey.sent", try json(SurveyPayload(survey: survey)))
            case .answerChanged(let survey, let previous):
                return ("survey.answer_changed", try json(SurveyChangePayload(survey: survey, previousRating: previous)))
            }
        case .record(let record):
            return ("\(record.entity).\(record.action.rawValue)", try json(RecordPayload(id: record.id)))
        case .email(.received(let email, let mailbox)):
            return ("email.received", try json(EmailPayload(emailId: email, mailboxId: mailbox)))
        }
    }

    /// The event stored as `type` with `payload`. Throws `DecodingError` for a payload that
    /// does not fit its type, `EventCodingError.unknownType` for a type this build does not know.
    static func decode(type: String, payload: String) throws -> DomainEvent {
        let data = Data(payload.utf8)
        func read<T: Decodable>(_: T.Type) throws -> T { try decoder.decode(T.self, from: data) }
        switch type {
        case "ticket.created": return .ticket(.ticketCreated(try read(TicketPayload.self).ticket))
        case "ticket.updated":
            let body = try read(TicketPayload.self)
            return .ticket(.ticketUpdated(body.ticket, body.changes ?? []))
        case "ticket.status_changed":
            let body = try read(StatusPayload.self)
            return .ticket(.statusChanged(body.ticket, from: body.from, to: body.to))
        case "ticket.assigned":
            let body = try read(AssignedPayload.self)
            return .ticket(.assigned(body.ticket, from: body.from, to: body.to))
        case "message.added":
            let body = try read(MessagePayload.self)
            return .ticket(.messageAdded(body.ticket, body.message))
        case "ticket.deleted":
            let body = try read(DeletedPayload.self)
            return .ticket(.ticketDeleted(body.ticketId, reference: body.reference))
        case "ticket.merged":
            let body = try read(MergedPayload.self)
            return .ticket(.merged(primary: body.primary, secondary: body.secondary, moved: body.moved))
        case "ticket.watchers_changed":
            let body = try read(WatchersPayload.self)
            return .ticket(.watchersChanged(body.ticket, watchers: body.watchers))
        case "ticket.links_changed":
            let body = try read(LinksPayload.self)
            return .ticket(.linksChanged(body.ticket, links: body.links))
        case "ticket.access_link_changed":
            let body = try read(AccessLinkPayload.self)
            return .ticket(.accessLinkChanged(body.ticket, body.change))
        case "ticket.ccs_changed":
            let body = try read(CCsPayload.self)
            return .ticket(.ccsChanged(body.ticket, ccs: body.ccs))
        case "email.failed":
            let body = try read(EmailFailedPayload.self)
            return .ticket(.emailFailed(body.ticket, body.failure))
        case "survey.created": return .survey(.created(try read(SurveyPayload.self).survey))
        case "survey.rated": return .survey(.rated(try read(SurveyPayload.self).survey))
        case "survey.cancelled": return .survey(.cancelled(try read(SurveyPayload.self).survey))
        case "survey.sent": return .survey(.sent(try read(SurveyPayload.self).survey))
        case "survey.answer_changed":
            let body = try read(SurveyChangePayload.self)
            return .survey(.answerChanged(body.survey, previousRating: body.previousRating))
        case "sla.warning":
            let body = try read(SLAPayload.self)
            return .sla(.warning(body.ticketId, body.metric, at: body.at))
        case "sla.breached":
            let body = try read(SLAPayload.self)
            return .sla(.breached(body.ticketId, body.metric, at: body.at))
        case "email.received":
            let body = try read(EmailPayload.self)
            return .email(.received(emailID: body.emailId, mailboxID: body.mailboxId))
        case "notification.created": return .notificationCreated(try read(NotificationPayload.self).notification)
        case "notifications.read":
            let body = try read(ReadPayload.self)
            return .notificationsRead(body.agentId, unread: body.unread)
        case "ticket.sla_policy_changed":
            let body = try read(TicketPolicyPayload.self)
            return .ticketPolicyChanged(body.ticketId, body.policyId)
        case "access.session_ended": return .access(.sessionEnded(AgentID(try read(AccessPayload.self).agentId ?? 0)))
        case "access.agent_changed": return .access(.agentChanged(AgentID(try read(AccessPayload.self).agentId ?? 0)))
        case "access.role_changed": return .access(.roleChanged(RoleID(try read(AccessPayload.self).roleId ?? 0)))
        case "access.token_revoked":
            let body = try read(AccessPayload.self)
            return .access(.tokenRevoked(AgentID(body.agentId ?? 0), token: body.tokenId ?? 0))
        default:
            guard let dot = type.lastIndex(of: "."), let action = RecordAction(rawValue: String(type[type.index(after: dot)...])) else {
                throw EventCodingError.unknownType(type)
            }
            let entity = String(type[..<dot])
            let id = try read(RecordPayload.self).id
            if entity == "sla_policy" { return .slaPolicyChanged(SLAPolicyID(id ?? 0), action) }
            return .record(RecordEvent(entity, action, id: id))
        }
    }

    private struct TicketPayload: Codable {
        let ticket: Ticket
        var changes: [FieldChange]? = nil
    }

    private struct StatusPayload: Codable {
        let ticket: Ticket
        let from: TicketStatus
        let to: TicketStatus
    }

    private struct AssignedPayload: Codable {
        let ticket: Ticket
        let from: AgentID?
        let to: AgentID?
    }

    private struct MessagePayload: Codable {
        let ticket: Ticket
        let message: Message
    }

    private struct DeletedPayload: Codable {
        let ticketId: TicketID
        let reference: String
    }

    private struct MergedPayload: Codable {
        let primary: Ticket
        let secondary: Ticket
        let moved: [MessageID]
    }

    private struct WatchersPayload: Codable {
        let ticket: Ticket
        let watchers: [AgentID]
    }

    private struct LinksPayload: Codable {
        let ticket: Ticket
        let links: [TicketLink]
    }

    private struct AccessLinkPayload: Codable {
        let ticket: Ticket
        let change: AccessLinkChange
    }

    private struct CCsPayload: Codable {
        let ticket: Ticket
        let ccs: [ContactID]
    }

    private struct EmailFailedPayload: Codable {
        let ticket: Ticket
        let failure: EmailFailure
    }

    private struct SurveyPayload: Codable {
        let survey: Survey
    }

    private struct SurveyChangePayload: Codable {
        let survey: Survey
        let previousRating: Int
    }

    private struct SLAPayload: Codable {
        let ticketId: TicketID
        let metric: SLAMetric
        let at: Date
    }

    private struct NotificationPayload: Codable {
        let notification: Notification
    }

    private struct ReadPayload: Codable {
        let agentId: AgentID
        let unread: Int
    }

    private struct TicketPolicyPayload: Codable {
        let ticketId: TicketID
        let policyId: SLAPolicyID
    }

    private struct AccessPayload: Codable {
        var agentId: Int64? = nil
        var roleId: Int64? = nil
        var tokenId: Int64? = nil
    }

    private struct EmailPayload: Codable {
        let emailId: Int64
        let mailboxId: Int64?
    }

    private struct RecordPayload: Codable {
        let id: Int64?
    }
}

/// An event row this build cannot read.
public enum EventCodingError: Error, CustomStringConvertible {
    case unknownType(String)

    public var description: String {
        switch self {
        case .unknownType(let type): "unknown event type \(type)"
        }
    }
}
