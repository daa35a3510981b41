import Foundation
import Realtime
import Tickets

/// The contacts copied on a ticket: read with `ticket.view`, changed with `ticket.update`.
extension TicketsAPI {
    static func registerCCs(_ routes: APIRoutes) {
        let tickets = routes.services.tickets
        routes.api(.get, "/api/tickets/:id/ccs", permission: .ticketView) { request in
            let id = TicketID(try request.id("id"))
            return try JSONBody.response(CCsJSON(ticketId: id.rawValue, ccs: try await tickets.ccs(of: id, for: request.actor).map(ContactJSON.init)))
        }
        routes.api(.post, "/api/tickets/:id/ccs", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(NewContactBody.self)
            let ccs = try await tickets.addCC(email: body.email, name: body.name ?? "", to: id, by: request.actor).value
            return try JSONBody.response(CCsJSON(ticketId: id.rawValue, ccs: ccs.map(ContactJSON.init)))
        }
        routes.api(.delete, "/api/tickets/:id/ccs/:contactId", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            _ = try await tickets.removeCC(ContactID(try request.id("contactId")), from: id, by: request.actor).value
            return HTTPResponse(status: .noContent)
        }
    }
}

/// `{ticketId, ccs}`: the contacts copied on a ticket, in the order they were added (also the
/// live `ticket.ccs_changed` message, with its `kind`).
struct CCsJSON: Encodable {
    var kind: String? = nil
    let ticketId: Int64
    let ccs: [ContactJSON]
}
