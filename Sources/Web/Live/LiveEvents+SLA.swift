import Foundation
import Realtime
import Tickets

/// SLA warnings and breaches (logged by the scheduler with their audit entries) as live
/// messages: `sla.warning` / `sla.breached` with the ticket's fresh JSON, to the ticket's
/// room and the board. The assignee's `notification.created` follows from the
/// notifications consumer's own event.
extension LiveEvents {
    static func slaMessages(_ event: SLAEvent, services: Services) async throws -> [(String, String)] {
        let ticket = try await services.tickets.ticket(event.ticketID, for: .system)
        let json = try await TicketJSON.list([ticket], services)[0]
        let text = ServerMessage.text(SLAPayload(event, ticket: json))
        return [(LiveRooms.ticket(ticket.id.rawValue), text), (LiveRooms.board, text)]
    }

    /// A ticket moved to another SLA policy: `ticket.updated` with `changedFields: ["slaPolicy"]`
    /// and the ticket's fresh `sla`, to its room and the board, like every other change.
    static func policyChangedMessages(_ id: TicketID, services: Services) async throws -> [(String, String)] {
        let ticket = try await services.tickets.ticket(id, for: .system)
        let json = try await TicketJSON.list([ticket], services)[0]
        let text = ServerMessage.text(TicketPayload(kind: "ticket.updated", ticket: json, changedFields: ["slaPolicy"]))
        return [(LiveRooms.ticket(id.rawValue), text), (LiveRooms.board, text)]
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
