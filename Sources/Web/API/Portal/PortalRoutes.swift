import Foundation
import Realtime
import Tickets

/// The requester portal's public API. No session: the access link's token, sent in the
/// `Portal-Token` header (never in the URL, so it stays out of access logs and `Referer`),
/// opens its one ticket. Every route is rate-limited per client address and per token, and
/// every token that opens nothing gets the same 404.
enum PortalRoutes {
    static let tokenHeader = "Portal-Token"

    static func register(_ routes: APIRoutes, throttle: PortalThrottle) {
        let services = routes.services
        portalRoute(routes, throttle, .get, "/api/portal/ticket") { ticket, _ in
            let found = try await services.tickets.ticket(ticket, for: .system)
            return try JSONBody.response(PortalTicketJSON(found))
        }
    }

    /// Adds a public portal route: throttle, open the token, then `handler` with the ticket.
    static func portalRoute(_ routes: APIRoutes, _ throttle: PortalThrottle, _ method: HTTPMethod, _ pattern: String,
                            _ handler: @escaping @Sendable (TicketID, HTTPRequest) async throws -> HTTPResponse) {
        let portal = routes.services.portal, proxies = routes.trustedProxies
        routes.router.add(method, pattern, async: { http in
            let address = proxies.clientAddress(of: http)
            let presented = http.headers[tokenHeader] ?? ""
            if let wait = throttle.admit(address: address, tokenKey: PortalService.tokenKey(presented)) {
                var headers = HTTPHeaders()
                headers.set("Retry-After", String(wait))
                return privately(ProblemDetails.response(status: .tooManyRequests, detail: "Too many requests. Try again later.", headers: headers))
            }
            do {
                let ticket: TicketID
                do {
                    ticket = try await portal.open(token: presented)
                } catch {
                    throttle.refused(address: address)
                    throw error
                }
                try InputLimits.refuseNUL(inQueryOf: http)
                return privately(try await handler(ticket, http))
            } catch let error as DomainError {
                return privately(try APIProblem.response(for: error))
            }
        })
    }

    /// Portal answers are about one person's ticket: never cached, never a referrer.
    private static func privately(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }
}

/// The ticket as its requester sees it.
struct PortalTicketJSON: Encodable {
    let reference: String
    let subject: String
    let status: String
    /// The status in plain words for the requester.
    let statusText: String

    init(_ ticket: Ticket) {
        reference = ticket.reference
        subject = ticket.subject
        status = ticket.status.rawValue
        statusText = Self.plainWords(ticket.status)
    }

    static func plainWords(_ status: TicketStatus) -> String {
        switch status {
        case .open: "We have your request and will answer soon."
        case .inProgress: "We are working on your request."
        case .pending: "We are waiting for your answer."
        case .onHold: "Your request is on hold; we will get back to you."
        case .resolved: "We think this is solved. Reply if it is not."
        case .closed: "This request is closed."
        }
    }
}
