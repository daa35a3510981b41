import Tickets

/// Canned responses, auto-assignment rules, merging, watchers and entity links.
extension OpenAPIDocument {
    static var productivity: Part {
        Part(paths: cannedPaths.merging(assignmentPaths) { a, _ in a }.merging(collaborationPaths) { a, _ in a },
             schemas: productivitySchemas)
    }

    /// The answers of an operation with a JSON body, besides its own.
    private static var bodyErrors: [String: Any] {
        ["400": problem("The body is not JSON."), "415": problem("The body is not application/json."), "422": invalidField]
    }

    private static var cannedPaths: [String: Any] {
        let id = pathParameter("id")
        let one = jsonResponse("The canned response.", schema: ref("CannedResponse"))
        let missing = problem("No such canned response.")
        let placeholders = CannedTemplate.placeholders.map { "`{{\($0.name)}}`: \($0.meaning)" }.joined(separator: " ")
        return [
            "/api/canned-responses": [
                "get": ticketOperation("List or search canned responses by keyword (title and body, any case; every word must match)",
                                       "ticket.view", parameters: [
                                           queryParameter("q", "Keywords; empty lists every response."),
                                           queryParameter("category", "Only responses of this ticket category.", ref("TicketCategory")),
                                           queryParameter("limit", "1 to \(CannedResponseService.maxResults), default \(CannedResponseService.maxResults).", integerType),
                                       ], ["200": jsonResponse("Matches by title.", schema: ref("CannedResponses")), "422": invalidField]),
                "post": ticketOperation("Create a canned response (shared across the account)", "canned.manage",
                                        body: jsonBody("CannedResponseInput"),
                                        ["201": jsonResponse("The new response (Location header).", schema: ref("CannedResponse"))]
                                            .merging(bodyErrors) { a, _ in a }),
            ],
            "/api/canned-responses/{id}": [
                "get": ticketOperation("Read a canned response", "ticket.view", parameters: [id], ["200": one, "404": missing]),
                "patch": ticketOperation("Change a canned response (keys present change; category null clears)", "canned.manage",
                                         parameters: [id], body: jsonBody("CannedResponseInput"),
                                         ["200": one, "404": missing].merging(bodyErrors) { a, _ in a }),
                "delete": ticketOperation("Delete a canned response", "canned.manage", parameters: [id],
                                          ["204": ["description": "Deleted."], "404": missing]),
            ],
            "/api/canned-responses/{id}/render": [
                "post": ticketOperation("Fill a response's placeholders for a ticket, ready to insert into the composer. Placeholders: \(placeholders) Unknown placeholders stay as written and are listed. A body that would render to more than \(FieldLimits.renderedCannedResponse) characters (a reply's maximum) is refused with 422 on body.",
                                        "ticket.view", parameters: [id], body: jsonBody("RenderRequest"),
                                        ["200": jsonResponse("The filled body.", schema: ref("RenderedResponse")),
                                         "404": problem("No such canned response or ticket.")].merging(bodyErrors) { a, _ in a }),
            ],
        ]
    }

    private static var assignmentPaths: [String: Any] {
        let id = pathParameter("id")
        let one = jsonResponse("The rule.", schema: ref("AssignmentRule"))
        let list = jsonResponse("Every rule in evaluation order.", schema: ref("AssignmentRules"))
        let missing = problem("No such rule.")
        let how = "On ticket creation without an assignee, enabled rules run in position order; the first whose conditions match and that yields an agent assigns the ticket, in the creating transaction, and the ticket's audit log gets a ticket.auto_assigned entry naming the rule and the reason. Inactive agents, agents marked away (PATCH /api/agents/{id} {away}) and agents at maxOpenTickets open tickets are skipped."
        return [
            "/api/assignment-rules": [
                "get": ticketOperation("List the auto-assignment rules. " + how, "assignment.manage", ["200": list]),
                "post": ticketOperation("Add a rule after the existing ones", "assignment.manage", body: jsonBody("AssignmentRuleInput"),
                                        ["201": jsonResponse("The new rule (Location header).", schema: ref("AssignmentRule"))]
                                            .merging(bodyErrors) { a, _ in a }),
            ],
            "/api/assignment-rules/reorder": [
                "post": ticketOperation("Set the evaluation order: ids lists every rule exactly once", "assignment.manage",
                                        body: jsonBody("ReorderRequest"), ["200": list].merging(bodyErrors) { a, _ in a }),
            ],
            "/api/assignment-rules/{id}": [
                "get": ticketOperation("Read a rule", "assignment.manage", parameters: [id], ["200": one, "404": missing]),
                "patch": ticketOperation("Change a rule; enabled: false disables it without deleting", "assignment.manage",
                                         parameters: [id], body: jsonBody("AssignmentRuleInput"),
                                         ["200": one, "404": missing].merging(bodyErrors) { a, _ in a }),
                "delete": ticketOperation("Delete a rule", "assignment.manage", parameters: [id],
                                          ["204": ["description": "Deleted."], "404": missing]),
            ],
        ]
    }

    private static var collaborationPaths: [String: Any] {
        let id = pathParameter("id")
        let watchers = jsonResponse("The watchers, in the order they were added.", schema: ref("Watchers"))
        let ccs = jsonResponse("The CC contacts, in the order they were added.", schema: ref("CCs"))
        let conflict = problem("The ticket or a secondary was already merged (this also refuses every cycle), or the tickets are already linked.")
        return [
            "/api/tickets/{id}/merge": [
                "post": ticketOperation("Merge tickets into this one: their replies and notes move here in time order with their attachments, watchers, tags and CC contacts are unioned (ticket.ccs_changed when the CCs grow), each secondary is Closed with mergedIntoId, system messages and audit entries record it on both sides. Moved replies stay public: when the requesters differ, the primary's requester sees them. Live: ticket.merged in both tickets' rooms.",
                                        "ticket.update", parameters: [id], body: jsonBody("MergeRequest"),
                                        ["200": jsonResponse("Both sides afterwards.", schema: ref("MergeResult")), "404": ticketNotFound,
                                         "409": conflict].merging(bodyErrors) { a, _ in a }),
            ],
            "/api/tickets/{id}/watchers": [
                "get": ticketOperation("The ticket's watchers (notified of new replies and status changes)", "ticket.view",
                                       parameters: [id], ["200": watchers, "404": ticketNotFound]),
                "post": ticketOperation("Add a watcher (adding an existing watcher changes nothing)",
                                        "ticket.view to watch yourself, ticket.update to add someone else", parameters: [id],
                                        body: jsonBody("WatcherRequest"),
                                        ["200": watchers, "404": ticketNotFound].merging(bodyErrors) { a, _ in a }),
            ],
            "/api/tickets/{id}/watchers/{agentId}": [
                "delete": ticketOperation("Remove a watcher", "ticket.view to stop watching yourself, ticket.update for someone else",
                                          parameters: [id, pathParameter("agentId")],
                                          ["204": ["description": "Removed."], "404": problem("No such ticket, or the agent does not watch it.")]),
            ],
            "/api/tickets/{id}/ccs": [
                "get": ticketOperation("The contacts copied on the ticket, in the order they were added. Public replies are emailed to the requester and to them (Cc header); their emails to the ticket are replies, not a stranger's notes.",
                                       "ticket.view", parameters: [id], ["200": ccs, "404": ticketNotFound]),
                "post": ticketOperation("Copy a contact on the ticket by email (found case-insensitively or created with the name). Adding one already copied changes nothing. Audited (cc.added), logged as ticket.ccs_changed (live in the ticket's room). 422 on email for a malformed address, the requester's own, or past \(TicketService.maxCCsPerTicket) CCs.",
                                        "ticket.update", parameters: [id], body: jsonBody("NewContact"),
                                        ["200": ccs, "404": ticketNotFound].merging(bodyErrors) { a, _ in a }),
            ],
            "/api/tickets/{id}/ccs/{contactId}": [
                "delete": ticketOperation("Stop copying a contact on the ticket. Audited (cc.removed), logged as ticket.ccs_changed.", "ticket.update",
                                          parameters: [id, pathParameter("contactId")],
                                          ["204": ["description": "Removed."], "404": problem("No such ticket, or the contact is not copied on it.")]),
            ],
            "/api/tickets/{id}/links": [
                "get": ticketOperation("The links shown on the ticket (related-ticket links appear on both tickets)", "ticket.view",
                                       parameters: [id], ["200": jsonResponse("The links, oldest first.", schema: ref("TicketLinks")),
                                                          "404": ticketNotFound]),
                "post": ticketOperation("Link an issue, task or incident (title, optional http/https URL) or a related ticket",
                                        "ticket.update", parameters: [id], body: jsonBody("NewLink"),
                                        ["201": jsonResponse("The link as seen from this ticket.", schema: ref("TicketLink")),
                                         "404": ticketNotFound, "409": conflict].merging(bodyErrors) { a, _ in a }),
            ],
            "/api/tickets/{id}/links/{linkId}": [
                "delete": ticketOperation("Remove a link (from either ticket of a related-ticket link)", "ticket.update",
                                          parameters: [id, pathParameter("linkId")],
                                          ["204": ["description": "Removed."], "404": problem("No such ticket or link on it.")]),
            ],
        ]
    }
}
