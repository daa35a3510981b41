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
    let exact: TicketJSON?
    let contacts: [ContactJSON]
    let tickets: [TicketJSON]

    enum CodingKeys: String, CodingKey { case query, exact, contacts, tickets }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(query, forKey: .query)
        // Explicit null: a client tests `exact` without guessing whether the key was left out.
        try container.encode(exact, forKey: .exact)
        try container.encode(contacts, forKey: .contacts)
        try container.encode(tickets, forKey: .tickets)
    }
}
