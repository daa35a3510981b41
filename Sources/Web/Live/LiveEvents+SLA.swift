import Foundation
import Realtime
import Tickets

/// SLA warnings and breaches fired by the scheduler, to the live rooms and the feeds:
///
/// | SLA event | ticket room | board | assignee's feed |
/// |---|---|---|---|
/// | warning | `sla.warning` | `sla.warning` | `notification.created` (`sla_warning`) |
/// | breached | `sla.breached` | `sla.breached` | `notification.created` (`sla_breached`) |
///
/// The audit entries were written by the scheduler in the same transaction as the crossing.
extension LiveEvents {
    /// Publishes `events` (in order) with each ticket's fresh JSON, then notifies assignees.
    /// A ticket deleted meanwhile is skipped; other failures are logged per event.
    static func publishSLA(_ events: [SLAEvent], services: Services, log: RoomLog,
                           rooms: @escaping @Sendable () -> Rooms) async {
        var drafts: [NotificationDraft] = []
        let bySystem = ServerMessage.text(ActorJSON(.system))
        for event in events {
            do {
                let ticket = try await services.tickets.ticket(event.ticketID, for: .system)
                let json = try await TicketJSON.list([ticket], services)[0]
                let text = ServerMessage.text(SLAPayload(event, ticket: json))
                log.publish(LiveRooms.ticket(ticket.id.rawValue), event: text, by: bySystem, through: rooms())
                log.publish(LiveRooms.board, event: text, by: bySystem, through: rooms())
                if let draft = notification(for: event, ticket) { drafts.append(draft) }
            } catch let error as DomainError where error.code == .notFound {
                continue
            } catch {
                Log.error("SLA event not published: \(error)")
            }
        }
        do {
            try await deliver(drafts, services: services, log: log, rooms: rooms)
        } catch {
            Log.error("SLA notifications not recorded: \(error)")
        }
    }

    /// The assignee's notification for `event`; nil for an unassigned ticket.
    static func notification(for event: SLAEvent, _ ticket: Ticket) -> NotificationDraft? {
        guard let assignee = ticket.assigneeID else { return nil }
        let (kind, title): (NotificationKind, String) = switch event {
        case .warning(_, let metric, _):
            (.slaWarning, "\(ticket.reference) is close to its \(metric.displayName) target: \(ticket.subject)")
        case .breached(_, let metric, _):
            (.slaBreached, "\(ticket.reference) breached its \(metric.displayName) target: \(ticket.subject)")
        }
        return NotificationDraft(recipient: assignee, kind: kind, ticketID: ticket.id, ticketReference: ticket.reference,
                                 title: title)
    }

    /// `{kind: "sla.warning" | "sla.breached", ticketId, metric, at, ticket}`.
    struct SLAPayload: Encodable {
        let kind: String
        let ticketId: Int64
        let metric: String
        let at: Date
        let ticket: TicketJSON

        init(_ event: SLAEvent, ticket: TicketJSON) {
            switch event {
            case .warning(let id, let metric, let at):
                (kind, ticketId, self.metric, self.at) = ("sla.warning", id.rawValue, metric.rawValue, at)
            case .breached(let id, let metric, let at):
                (kind, ticketId, self.metric, self.at) = ("sla.breached", id.rawValue, metric.rawValue, at)
            }
            self.ticket = ticket
        }
    }
}

extension SLAMetric {
    /// Lower-case words for notification titles.
    var displayName: String {
        switch self {
        case .firstResponse: "first response"
        case .nextResponse: "next response"
        case .resolution: "resolution"
        }
    }
}
