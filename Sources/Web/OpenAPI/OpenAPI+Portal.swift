import Tickets

/// Requester access links (agents) and the requester portal's public routes.
extension OpenAPIDocument {
    static var portal: Part {
        Part(paths: accessLinkPaths.merging(portalPaths) { a, _ in a }, schemas: portalSchemas)
    }

    /// The `Portal-Token` header every public portal route needs.
    static var portalToken: [String: Any] {
        ["name": "Portal-Token", "in": "header", "required": true,
         "description": "The token of the ticket's access link (the part of the portal URL after `#`).",
         "schema": ["type": "string", "maxLength": 128]]
    }

    /// The answers every public portal route can give besides its own.
    static var portalErrors: [String: Any] {
        ["404": problem("The token opens nothing: unknown, malformed, expired, replaced by a regenerated link, or its ticket deleted. Every such token gets this same answer."),
         "429": problem("Too many requests from this address or with this token, or too many refused tokens from this address (Retry-After says when to try again). Limits: \(PortalThrottle.requestsPerAddressPerMinute) requests a minute per address, \(PortalThrottle.requestsPerTokenPerMinute) a minute per token, \(PortalThrottle.refusalsPerAddressPerWindow) refused tokens per \(Int(PortalThrottle.refusalWindowSeconds / 60)) minutes per address.")]
    }

    private static var accessLinkPaths: [String: Any] {
        let id = pathParameter("id")
        let state = jsonResponse("The ticket's link (null when none was issued).", schema: ref("AccessLinkState"))
        let bodyErrors: [String: Any] = ["400": problem("The body is not JSON."), "415": problem("The body is not application/json."),
                                         "422": problem("expiresAt is not in the future (field expiresAt).")]
        return [
            "/api/tickets/{id}/access-link": [
                "get": ticketOperation("Read the requester access link of a ticket, with the portal URL to copy", "ticket.update",
                                       parameters: [id], ["200": state, "404": ticketNotFound]),
                "post": ticketOperation("Issue the ticket's access link, or regenerate it: a new token, and the old link stops opening the ticket at once. Body optional: {expiresAt} (null or absent: never expires). Audited (access_link.issued / access_link.regenerated) and logged as ticket.access_link_changed.",
                                        "ticket.update", parameters: [id],
                                        ["201": jsonResponse("The new link.", schema: ref("AccessLinkState")), "404": ticketNotFound]
                                            .merging(bodyErrors) { a, _ in a }),
                "patch": ticketOperation("Change the link's expiry, keeping its token. Body {expiresAt}: a future time, or null for none. Audited (access_link.expiry_changed).",
                                         "ticket.update", parameters: [id], body: jsonBody("AccessLinkInput"),
                                         ["200": state, "404": problem("No such ticket, or it has no link yet.")]
                                            .merging(bodyErrors) { a, _ in a }),
            ],
        ]
    }

    private static var portalPaths: [String: Any] {
        [
            "/api/portal/ticket": [
                "get": [
                    "summary": "The ticket the access link opens, as its requester sees it",
                    "description": "Public: no session. Rate-limited; see 429.",
                    "security": [],
                    "parameters": [portalToken],
                    "responses": ["200": jsonResponse("The ticket.", schema: ref("PortalTicket"))].merging(portalErrors) { a, _ in a },
                ],
            ],
        ]
    }

    private static var portalSchemas: [String: Any] {
        [
            "AccessLinkInput": objectType(["expiresAt": nullable("string", format: "date-time")]),
            "AccessLinkState": objectType(["ticketId": integerType, "link": ["oneOf": [ref("AccessLink"), ["type": "null"]]]]),
            "AccessLink": objectType([
                "url": ["type": ["string", "null"],
                        "description": "<origin>/portal#<token>: give this to the requester. Null when the server's link key changed since the link was made (it still opens; regenerate to show one)."],
                "token": nullable("string"),
                "generation": ["type": "integer", "description": "1 for the first link, +1 per regeneration."],
                "createdAt": dateTimeType,
                "expiresAt": nullable("string", format: "date-time"),
                "expired": ["type": "boolean"],
            ]),
            "PortalTicket": objectType([
                "reference": stringType, "subject": stringType, "status": ref("TicketStatus"),
                "statusText": ["type": "string", "description": "The status in plain words."],
            ]),
        ]
    }
}
