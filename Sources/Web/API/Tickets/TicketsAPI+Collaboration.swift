import Foundation
import Realtime
import Tickets

/// Merging, watchers and entity links of a ticket.
extension TicketsAPI {
    static func registerMerge(_ routes: APIRoutes) {
        let services = routes.services
        routes.api(.post, "/api/tickets/:id/merge", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(MergeBody.self)
            let outcome = try await services.tickets.mergeTickets(
                into: id, secondaries: body.secondaryIds.map(TicketID.init), by: request.actor).value
            let json = try await TicketJSON.list([outcome.primary] + outcome.secondaries, services)
            return try JSONBody.response(MergeResultJSON(primary: json[0], secondaries: Array(json.dropFirst()),
                                                         movedMessages: outcome.movedMessages))
        }
    }

    static func registerWatchers(_ routes: APIRoutes) {
        let services = routes.services
        let tickets = services.tickets
        @Sendable func answer(_ id: TicketID, _ watchers: [AgentID]) async throws -> HTTPResponse {
            try JSONBody.response(WatchersJSON(ticket: id, watchers, try await PeopleDirectory.load(services, contacts: [])))
        }
        routes.api(.get, "/api/tickets/:id/watchers", permission: .ticketView) { request in
            let id = TicketID(try request.id("id"))
            return try await answer(id, try await tickets.watchers(of: id, for: request.actor))
        }
        routes.api(.post, "/api/tickets/:id/watchers", permission: .ticketView) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(WatcherBody.self)
            let watchers = try await tickets.addWatcher(AgentID(body.agentId), to: id, by: request.actor).value
            return try await answer(id, watchers)
        }
        routes.api(.delete, "/api/tickets/:id/watchers/:agentId", permission: .ticketView) { request in
            let id = TicketID(try request.id("id"))
            let agent = AgentID(try request.id("agentId"))
            _ = try await tickets.removeWatcher(agent, from: id, by: request.actor).value
            return HTTPResponse(status: .noContent)
        }
    }

    static func registerLinks(_ routes: APIRoutes) {
        let services = routes.services
        let tickets = services.tickets
        routes.api(.get, "/api/tickets/:id/links", permission: .ticketView) { request in
            let id = TicketID(try request.id("id"))
            let links = try await tickets.links(of: id, for: request.actor)
            let people = try await PeopleDirectory.load(services, contacts: [])
            return try JSONBody.response(TicketLinksJSON(ticketId: id.rawValue, links: links.map { TicketLinkJSON($0, people) }))
        }
        routes.api(.post, "/api/tickets/:id/links", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(NewLinkBody.self)
            let link = try await tickets.addLink(body.draft, to: id, by: request.actor).value
            let people = try await PeopleDirectory.load(services, contacts: [])
            var response = try JSONBody.response(TicketLinkJSON(link, people), status: .created)
            response.headers.set("Location", "/api/tickets/\(id)/links/\(link.id)")
            return response
        }
        routes.api(.patch, "/api/tickets/:id/links/:linkId", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let linkID = TicketLinkID(try request.id("linkId"))
            let body = try request.decode(LinkStatusBody.self)
            let link = try await tickets.setLinkStatus(linkID, on: id, to: body.statusText, by: request.actor).value
            return try JSONBody.response(TicketLinkJSON(link, try await PeopleDirectory.load(services, contacts: [])))
        }
        routes.api(.delete, "/api/tickets/:id/links/:linkId", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let link = TicketLinkID(try request.id("linkId"))
            _ = try await tickets.removeLink(link, from: id, by: request.actor).value
            return HTTPResponse(status: .noContent)
        }
    }
}
