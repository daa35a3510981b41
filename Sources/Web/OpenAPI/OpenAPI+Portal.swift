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

    /// A public portal operation: no session, the `Portal-Token` header, the portal's errors.
    private static func portalOperation(_ summary: String, _ description: String, parameters: [[String: Any]] = [],
                                        body: [String: Any]? = nil, _ responses: [String: Any]) -> [String: Any] {
        var operation: [String: Any] = [
            "summary": summary, "description": description + " Public: no session; rate-limited (see 429).",
            "security": [], "parameters": [portalToken] + parameters,
            "responses": responses.merging(portalErrors) { a, _ in a },
        ]
        if let body { operation["requestBody"] = ["required": true, "content": body] }
        return operation
    }

    private static var portalPaths: [String: Any] {
        let replyForm: [String: Any] = ["multipart/form-data": ["schema": [
            "type": "object",
            "required": ["captchaChallenge", "captchaNonce"],
            "properties": [
                "body": ["type": "string", "maxLength": PortalService.maxReplyCharacters, "description": "The reply text (may be empty when files are attached)."],
                "captchaChallenge": ["type": "string", "description": "A challenge from POST /api/portal/captcha (single use: any attempt spends it)."],
                "captchaNonce": ["type": "string", "maxLength": 20, "description": "The decimal nonce that solves it."],
                "website": ["type": "string", "description": "The honeypot: leave it empty. Filled, the reply is answered 202 and not stored."],
                "attachments": ["type": "array", "maxItems": PortalService.maxReplyFiles,
                                "items": ["type": "string", "contentMediaType": "application/octet-stream"],
                                "description": "Files, \(AttachmentStore.maxFileBytes / 1024 / 1024) MB each at most (the whole request 12 MB)."],
            ],
        ]]]
        return [
            "/api/portal/ticket": [
                "get": portalOperation("The ticket the access link opens, as its requester sees it",
                                       "The account's name and logo, the reference, subject and status in plain words, and the public replies (never notes or system messages).",
                                       ["200": jsonResponse("The ticket.", schema: ref("PortalTicket"))]),
            ],
            "/api/portal/messages": [
                "post": withProblemFields(portalOperation("Reply as the requester",
                                        "Stored as a reply by the ticket's requester (audited, logged as message.added): it reopens a Pending or Resolved ticket to Open, appears live on the agent's ticket page and notifies the assignee and watchers.",
                                        body: replyForm,
                                        ["201": jsonResponse("The stored reply.", schema: ref("PortalMessage")),
                                         "202": jsonResponse("The honeypot was filled: nothing was stored.", schema: objectType(["received": ["type": "boolean"]])),
                                         "400": problem("The form is malformed."),
                                         "413": problem("A file is larger than 10 MB (field attachments), or the request is larger than 12 MB."),
                                         "415": problem("The body is not multipart/form-data."),
                                         "409": problem("The ticket is Closed (archived) and takes no replies."),
                                         "422": problem("A field is invalid, repeated or unknown; `field` names it (body, attachments, ...). `captcha`: no solution, or a malformed, unknown, used, expired or wrong one.")]), ["captcha"]),
            ],
            "/api/portal/attachments/{id}": [
                "get": portalOperation("Download a file of one of this ticket's public replies",
                                       "Any other attachment (a note's, another ticket's) is 404.",
                                       parameters: [pathParameter("id")],
                                       ["200": ["description": "The file, as an attachment download, as its stored type (HTML, SVG, XML and scripts as application/octet-stream).",
                                                "content": Dictionary(uniqueKeysWithValues: downloadTypes.map {
                                                    ($0, ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]] as [String: Any])
                                                })]]),
            ],
            "/api/portal/captcha": [
                "post": [
                    "summary": "A proof-of-work challenge for a public form (portal reply, survey)",
                    "description": "Find a decimal nonce such that SHA-256(\"<challenge>:<nonce>\") starts with difficultyBits zero bits (about 2^difficultyBits hashes), and send captchaChallenge and captchaNonce with the form before expiresAt (\(Int(ProofOfWork.lifetimeSeconds)) s). Each challenge is accepted once. Public: no session, no token; rate-limited per address.",
                    "security": [],
                    "responses": [
                        "201": jsonResponse("The challenge.", schema: objectType(["challenge": stringType, "difficultyBits": integerType, "expiresAt": dateTimeType])),
                        "429": problem("Too many requests from this address."),
                    ],
                ],
            ],
            "/api/portal/logo": [
                "get": [
                    "summary": "The account's logo, for the portal page (no session, no token: it is no secret)",
                    "security": [],
                    "responses": [
                        "200": ["description": "The logo (its sniffed raster type), with X-Content-Type-Options: nosniff.", "content": logoContent],
                        "404": problem("No logo has been uploaded."),
                        "429": problem("Too many requests from this address."),
                    ],
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
                "account": objectType(["name": stringType, "logoUrl": nullable("string")]),
                "messages": ["type": "array", "items": ref("PortalMessage"), "description": "Public replies, oldest first."],
                "survey": ["oneOf": [objectType(["url": nullable("string"), "status": enumeration(["pending", "answered", "expired"]),
                                                 "expiresAt": dateTimeType, "rating": ["type": ["integer", "null"]]]), ["type": "null"]],
                           "description": "The satisfaction survey of the latest resolution (url: /survey#<token>), null before one."],
            ]),
            "PortalMessage": objectType([
                "id": integerType,
                "author": objectType(["type": enumeration(["agent", "requester"]), "name": stringType]),
                "body": stringType, "createdAt": dateTimeType,
                "attachments": ["type": "array", "items": objectType(["id": integerType, "fileName": stringType,
                                                                     "contentType": stringType, "size": integerType])],
            ]),
        ]
    }
}
