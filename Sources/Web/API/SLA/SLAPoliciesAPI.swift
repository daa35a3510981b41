import Foundation
import Realtime
import Tickets

/// `/api/sla-policies` (reading needs `ticket.view`, changing `sla.manage`) and
/// `PUT /api/tickets/:id/sla-policy` (`ticket.update`). The scheduler learns of every
/// change from the event log; a change that moves deadlines answers once the scheduler has
/// read it (`settled`), so a client that reads the answer sees the new deadlines armed.
enum SLAPoliciesAPI {
    /// Registers the routes; `settled(position)` returns once the SLA scheduler has read the
    /// event log up to `position` (nil: up to its newest event).
    static func register(_ routes: APIRoutes, settled: @escaping @Sendable (Int64?) async -> Void) {
        let services = routes.services
        let policies = services.slaPolicies
        routes.api(.get, "/api/sla-policies", permission: .ticketView) { request in
            try JSONBody.response(SLAPolicyListJSON(policies: try await policies.policies(for: request.actor).map(SLAPolicyJSON.init)))
        }
        routes.api(.post, "/api/sla-policies", permission: .slaManage) { request in
            let draft = try request.decode(SLAPolicyBody.self).newDraft()
            let policy = try await policies.create(draft, by: request.actor)
            var response = try JSONBody.response(SLAPolicyJSON(policy), status: .created)
            response.headers.set("Location", "/api/sla-policies/\(policy.id)")
            return response
        }
        routes.api(.get, "/api/sla-policies/:id", permission: .ticketView) { request in
            let policy = try await policies.policy(SLAPolicyID(try request.id("id")), for: request.actor)
            return try JSONBody.response(SLAPolicyJSON(policy))
        }
        routes.api(.patch, "/api/sla-policies/:id", permission: .slaManage) { request in
            let id = SLAPolicyID(try request.id("id"))
            let body = try request.decode(SLAPolicyBody.self)
            let current = try await policies.policy(id, for: request.actor)
            let (policy, _) = try await policies.update(id, try body.patched(current), by: request.actor)
            await settled(nil)
            return try JSONBody.response(SLAPolicyJSON(policy))
        }
        routes.api(.delete, "/api/sla-policies/:id", permission: .slaManage) { request in
            _ = try await policies.delete(SLAPolicyID(try request.id("id")), by: request.actor)
            await settled(nil)
            return HTTPResponse(status: .noContent)
        }
        routes.api(.put, "/api/tickets/:id/sla-policy", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(AssignSLAPolicyBody.self)
            _ = try await services.tickets.ticket(id, for: request.actor)
            await settled(try await policies.assign(SLAPolicyID(body.policyId), to: id, by: request.actor))
            return try await TicketJSON.response(try await services.tickets.ticket(id, for: request.actor), services)
        }
    }
}
