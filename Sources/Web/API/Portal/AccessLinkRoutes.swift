import Foundation
import Realtime
import Tickets

/// The agent's side of requester access links: read (with the URL to copy), issue or
/// regenerate, and change the expiry. All need `ticket.update`: the link lets its holder
/// read the public thread and reply as the requester.
enum AccessLinkRoutes {
    static func register(_ routes: APIRoutes) {
        let portal = routes.services.portal
        let now = routes.services.now
        routes.api(.get, "/api/tickets/:id/access-link", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let link = try await portal.accessLink(of: id, for: request.actor)
            return try JSONBody.response(AccessLinkStateJSON(ticketId: id.rawValue,
                                                             link: link.map { AccessLinkJSON($0, request.http, now: now()) }))
        }
        routes.api(.post, "/api/tickets/:id/access-link", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let body = request.http.body.isEmpty ? AccessLinkBody(expiresAt: nil) : try request.decode(AccessLinkBody.self)
            let link = try await portal.issueAccessLink(for: id, expiresAt: body.expiresAt, by: request.actor).value
            return try JSONBody.response(AccessLinkStateJSON(ticketId: id.rawValue, link: AccessLinkJSON(link, request.http, now: now())),
                                         status: .created)
        }
        routes.api(.patch, "/api/tickets/:id/access-link", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let body = try request.decode(AccessLinkBody.self)
            let link = try await portal.setAccessLinkExpiry(for: id, expiresAt: body.expiresAt, by: request.actor).value
            return try JSONBody.response(AccessLinkStateJSON(ticketId: id.rawValue, link: AccessLinkJSON(link, request.http, now: now())))
        }
    }
}

/// `{"expiresAt": <ISO 8601 date> | null}`; null or absent: the link never expires. A
/// malformed date is a 422 naming `expiresAt`.
struct AccessLinkBody: Decodable {
    let expiresAt: Date?

    init(expiresAt: Date?) { self.expiresAt = expiresAt }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        expiresAt = try c.decodeIfPresent(String.self, forKey: .expiresAt).map { try APIDate.parse($0, field: "expiresAt") }
    }

    private enum CodingKeys: String, CodingKey { case expiresAt }
}

struct AccessLinkStateJSON: Encodable {
    let ticketId: Int64
    /// Null until a link is issued.
    @Nullable var link: AccessLinkJSON?
}

struct AccessLinkJSON: Encodable {
    /// The portal URL to give the requester (`<origin>/portal#<token>`: the token travels in
    /// the fragment, which browsers never send to servers, proxies or `Referer`); null when
    /// the token cannot be shown (see `AccessLink.token`).
    @Nullable var url: String?
    @Nullable var token: String?
    let generation: Int
    let createdAt: Date
    @Nullable var expiresAt: Date?
    let expired: Bool

    init(_ link: AccessLink, _ request: HTTPRequest, now: Date) {
        let origin = RequestOrigin.webSocketOrigin(of: request).map { "http" + $0.dropFirst(2) } ?? ""
        url = link.token.map { origin + "/portal#" + $0 }
        token = link.token
        generation = link.generation
        createdAt = link.createdAt
        expiresAt = link.expiresAt
        expired = link.isExpired(at: now)
    }
}
