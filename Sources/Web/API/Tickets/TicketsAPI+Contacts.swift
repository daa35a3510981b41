import Foundation
import Realtime
import Tickets

extension TicketsAPI {
    static func registerContacts(_ routes: APIRoutes) {
        let tickets = routes.services.tickets
        routes.api(.get, "/api/contacts", permission: .ticketView) { request in
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: 20, max: 100)
            let contacts = try await tickets.searchContacts(request.http.queryValue("q") ?? "", limit: limit, for: request.actor)
            return try JSONBody.response(ContactsJSON(contacts: contacts.map(ContactJSON.init)))
        }
        routes.api(.get, "/api/contacts/:id", permission: .ticketView) { request in
            try JSONBody.response(ContactJSON(try await tickets.contact(ContactID(try request.id("id")), for: request.actor)))
        }
        routes.api(.post, "/api/contacts", permission: .ticketCreate, fields: ["requesterEmail": "email", "requesterName": "name"]) { request in
            let body = try request.decode(NewContactBody.self)
            let contact = try await tickets.findOrCreateContact(name: body.name ?? "", email: body.email, by: request.actor)
            return try JSONBody.response(ContactJSON(contact))
        }
    }

    static func registerAudit(_ routes: APIRoutes) {
        let services = routes.services
        let tickets = services.tickets
        routes.api(.get, "/api/tickets/:id/timeline", permission: .ticketView) { request in
            let entries = try await tickets.timeline(TicketID(try request.id("id")), for: request.actor)
            // Every ticket's creation is audited, so no entry at all means no such ticket ever
            // existed (a deleted ticket keeps its timeline).
            guard !entries.isEmpty else { throw ProblemError.notFound("No such ticket.") }
            return try JSONBody.response(AuditPageJSON(entries: try await AuditEntryJSON.list(entries, services), nextBefore: nil))
        }
        routes.api(.get, "/api/audit", permission: .auditView) { request in
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: 50, max: 500)
            let before = try APIQuery.position(request.http.queryValue("before"), field: "before")
            let entries = try await tickets.auditLog(limit: limit, before: before, for: request.actor)
            let next = entries.count == limit ? entries.last?.id : nil
            return try JSONBody.response(AuditPageJSON(entries: try await AuditEntryJSON.list(entries, services), nextBefore: next))
        }
    }
}

/// `{contacts}`.
struct ContactsJSON: Encodable {
    let contacts: [ContactJSON]
}
