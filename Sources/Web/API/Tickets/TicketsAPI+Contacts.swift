import Foundation
import Realtime
import Tickets

extension TicketsAPI {
    static func registerContacts(_ routes: APIRoutes) {
        let tickets = routes.services.tickets
        routes.api(.get, "/api/contacts", permission: .ticketView) { request in
            let limit = try request.http.queryValue("limit").map { raw -> Int in
                guard let value = Int(raw), (1...100).contains(value) else {
                    throw ProblemError.unprocessable("Use a limit from 1 to 100.", field: "limit")
                }
                return value
            } ?? 20
            let contacts = try await tickets.searchContacts(request.http.queryValue("q") ?? "", limit: limit, for: request.actor)
            return try JSONBody.response(ContactsJSON(contacts: contacts.map(ContactJSON.init)))
        }
        routes.api(.get, "/api/contacts/:id", permission: .ticketView) { request in
            try JSONBody.response(ContactJSON(try await tickets.contact(ContactID(try request.id("id")), for: request.actor)))
        }
        routes.api(.post, "/api/contacts", permission: .ticketCreate) { request in
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
            return try JSONBody.response(AuditPageJSON(entries: try await AuditEntryJSON.list(entries, services), nextBefore: nil))
        }
        routes.api(.get, "/api/audit", permission: .auditView) { request in
            let limit = try request.http.queryValue("limit").map { raw -> Int in
                guard let value = Int(raw), (1...500).contains(value) else {
                    throw ProblemError.unprocessable("Use a limit from 1 to 500.", field: "limit")
                }
                return value
            } ?? 50
            let before = try request.http.queryValue("before").map { raw -> Int64 in
                guard let value = Int64(raw), value > 0 else { throw ProblemError.unprocessable("Use an entry id.", field: "before") }
                return value
            }
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
