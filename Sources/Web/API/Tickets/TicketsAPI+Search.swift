import Foundation
import Realtime
import Tickets

extension TicketsAPI {
    /// `GET /api/search`: the search box's answer (reference, requester, words).
    static func registerSearch(_ routes: APIRoutes) {
        let services = routes.services
        routes.api(.get, "/api/search", permission: .ticketView) { request in
            let text = request.http.queryValue("q") ?? ""
            guard text.count <= FieldLimits.searchText else {
                throw ProblemError.unprocessable("Keep searches under \(FieldLimits.searchText) characters.", field: "q")
            }
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: 10, max: TicketService.searchLimit)
            let result = try await services.tickets.search(text, limit: limit, for: request.actor)
            let tickets = try await TicketJSON.list(result.tickets, services)
            return try JSONBody.response(SearchResultJSON(
                query: text, exact: result.exact.flatMap { exact in tickets.first { $0.ticket.id == exact.id } },
                contacts: result.contacts.map(ContactJSON.init), tickets: tickets))
        }
    }
}

/// `{query, exact, contacts, tickets}`: `exact` is the ticket whose reference was typed, or null.
struct SearchResultJSON: Encodable {
    let query: String
    @Nullable var exact: TicketJSON?
    let contacts: [ContactJSON]
    let tickets: [TicketJSON]
}
