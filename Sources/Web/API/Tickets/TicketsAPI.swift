import Foundation
import Realtime
import Tickets

/// Routes for tickets, their thread and attachments, contacts, lists, bulk changes, export and audit.
/// Static paths (`/api/tickets/bulk`, `/api/tickets/export.csv`) win over `/api/tickets/:id`
/// because the router looks static paths up first.
enum TicketsAPI {
    /// Registers every ticket route on `routes`.
    static func register(_ routes: APIRoutes) {
        registerLists(routes)
        registerTickets(routes)
        registerThread(routes)
        registerContacts(routes)
        registerAudit(routes)
        registerMerge(routes)
        registerWatchers(routes)
        registerLinks(routes)
        registerCCs(routes)
        registerSearch(routes)
    }

    private static func registerTickets(_ routes: APIRoutes) {
        let services = routes.services
        let tickets = services.tickets
        routes.api(.post, "/api/tickets", permission: .ticketCreate, fields: APIProblem.requesterFields) { request in
            let body = try request.decode(CreateTicketBody.self)
            let ticket = try await tickets.createTicket(try body.draft(), by: request.actor).value
            var response = try await TicketJSON.response(ticket, services, status: .created)
            response.headers.set("Location", "/api/tickets/\(ticket.id)")
            response.headers.set("ETag", TicketVersion.etag(ticket.version))
            return response
        }
        routes.api(.get, "/api/tickets/by-reference/:reference", permission: .ticketView) { request in
            let ticket = try await tickets.ticket(reference: request.http.parameters["reference"] ?? "", for: request.actor)
            return try await TicketVersion.tagged(TicketJSON.response(ticket, services), ticket)
        }
        routes.api(.get, "/api/tickets/:id", permission: .ticketView) { request in
            let ticket = try await tickets.ticket(TicketID(try request.id("id")), for: request.actor)
            return try await TicketVersion.tagged(TicketJSON.response(ticket, services), ticket)
        }
        routes.api(.patch, "/api/tickets/:id", permission: .ticketUpdate, fields: APIProblem.requesterFields) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(PatchTicketBody.self)
            let version = try TicketVersion.expected(body: body.version, headers: request.http.headers)
            return try await ConflictProblem.catching(services) {
                let ticket = try await tickets.updateTicket(id, expectedVersion: version, body.patch, by: request.actor).value
                return try await TicketVersion.tagged(TicketJSON.response(ticket, services), ticket)
            }
        }
        routes.api(.delete, "/api/tickets/:id", permission: .ticketDelete) { request in
            _ = try await tickets.deleteTicket(TicketID(try request.id("id")), by: request.actor).value
            return HTTPResponse(status: .noContent)
        }
    }
}

/// The ticket version as an entity tag, so `If-Match` can carry it instead of the body.
enum TicketVersion {
    /// `"v<version>"` (a strong tag: the version changes with every change).
    static func etag(_ version: Int64) -> String { "\"v\(version)\"" }

    /// `response` with the ticket's `ETag`, and for a merged ticket a `Link` to its primary
    /// (`rel="merged-into"`; the body's `mergedIntoId` says the same).
    static func tagged(_ response: HTTPResponse, _ ticket: Ticket) -> HTTPResponse {
        var response = response
        response.headers.set("ETag", etag(ticket.version))
        if let primary = ticket.mergedIntoID { response.headers.set("Link", "</api/tickets/\(primary)>; rel=\"merged-into\"") }
        return response
    }

    /// The version an update expects: `version` in the body, else `If-Match: "v<n>"` (or a bare
    /// number). Both given must agree. Throws 428 when neither is given, 422 when malformed.
    static func expected(body: Int64?, headers: HTTPHeaders) throws -> Int64 {
        var header: Int64?
        if let raw = headers["If-Match"] {
            var text = raw.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("W/") { text.removeFirst(2) }
            text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if text.hasPrefix("v") { text.removeFirst() }
            guard let value = Int64(text) else { throw ProblemError.unprocessable("If-Match must be a ticket ETag.", field: "If-Match") }
            header = value
        }
        switch (body, header) {
        case (let body?, let header?) where body != header:
            throw ProblemError.unprocessable("version and If-Match disagree.", field: "version")
        case (let value?, _), (nil, let value?):
            return value
        case (nil, nil):
            throw ProblemError(status: .preconditionRequired, detail: "Send the version you read, in the body or If-Match.",
                               field: "version")
        }
    }
}
