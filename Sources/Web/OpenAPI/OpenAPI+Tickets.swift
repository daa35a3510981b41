import Tickets
extension OpenAPIDocument {
    /// Tickets, thread, attachments, contacts, lists, bulk changes, export and audit.
    static var tickets: Part {
        Part(paths: ticketPaths.merging(listPaths) { a, _ in a }.merging(threadPaths) { a, _ in a }, schemas: ticketSchemas)
    }

    /// An ticketOperation needing `permission`, with the errors every authenticated route can answer.
    static func ticketOperation(_ summary: String, _ permission: String, parameters: [[String: Any]] = [],
                          body: [String: Any]? = nil, _ responses: [String: Any]) -> [String: Any] {
        var ticketOperation: [String: Any] = [
            "summary": summary, "description": "Needs the \(permission) permission.", "x-permission": permission.components(separatedBy: " (")[0],
            "responses": responses.merging(authErrors) { a, _ in a },
        ]
        if !parameters.isEmpty { ticketOperation["parameters"] = parameters }
        if let body { ticketOperation["requestBody"] = ["required": true, "content": body] }
        return ticketOperation
    }

    static func pathParameter(_ name: String, _ schema: [String: Any] = ["type": "integer", "minimum": 1]) -> [String: Any] {
        ["name": name, "in": "path", "required": true, "schema": schema]
    }

    static func queryParameter(_ name: String, _ description: String, _ schema: [String: Any] = ["type": "string"]) -> [String: Any] {
        ["name": name, "in": "query", "required": false, "description": description, "schema": schema]
    }

    static func jsonBody(_ schema: String) -> [String: Any] { ["application/json": ["schema": ref(schema)]] }

    static var ticketNotFound: [String: Any] { problem("No such ticket (or not visible to you).") }
    static var invalidField: [String: Any] { problem("A field is invalid; `field` names it.") }

    /// The list filters, shared by the list, the export and (as an objectType) bulk requests.
    static var filterParameters: [[String: Any]] {
        let list: [String: Any] = ["type": "array", "items": ["type": "string"]]
        return [
            queryParameter("status", "Statuses, repeated or comma-separated.", list), queryParameter("priority", "Priorities.", list),
            queryParameter("category", "Categories.", list), queryParameter("channel", "Channels.", list),
            queryParameter("assignee", "An agent id, me, none or any."),
            queryParameter("tag", "One tag.", ["type": "string", "maxLength": FieldLimits.tag]),
            queryParameter("requester", "A contact id.", ["type": "integer"]),
            queryParameter("slaStatus", "SLA statuses (on_track, breaching, breached; also paused, met, none).", list),
            queryParameter("createdFrom", "ISO 8601 date or date-time (inclusive)."), queryParameter("createdTo", "Inclusive; a date means the whole day."),
            queryParameter("updatedFrom", "ISO 8601 date or date-time (inclusive)."), queryParameter("updatedTo", "Inclusive; a date means the whole day."),
            queryParameter("q", "Search: a ticket matches by reference (TKT-289, 289 or #289), by requester (every word is a word of the requester's name or email, the last one typed also the start of one), or by words of subjects, descriptions and messages (every word must match; the last word typed also matches as a prefix; quoted text, in double quotes, is an exact phrase or word). A list page considers the newest 250 word matches of tickets and of messages and the newest 250 tickets of each of the 20 newest matching requesters. No NUL characters.",
                           ["type": "string", "maxLength": FieldLimits.searchText]),
            queryParameter("preset", "A built-in preset (GET /api/presets lists them with their filters); other filters narrow it.",
                           ["type": "string", "enum": TicketPreset.allCases.map(TicketPresets.apiName)]),
            queryParameter("sort", "updated, created, priority, due or reference; a leading - sorts descending. Default -updated."),
        ]
    }

    private static var ticketPaths: [String: Any] {
        let id = pathParameter("id")
        let ticket = jsonResponse("The ticket (ETag: \"v<version>\").", schema: ref("Ticket"))
        return [
            "/api/tickets/{id}": [
                "get": ticketOperation("Read a ticket", "ticket.view", parameters: [id], ["200": ticket, "404": ticketNotFound]),
                "patch": ticketOperation("Update a ticket; a Kanban board move is this with status (assignment also needs ticket.assign)", "ticket.update",
                                   parameters: [id, ["name": "If-Match", "in": "header", "required": false, "schema": stringType,
                                                     "description": "\"v<version>\": an alternative to version in the body."]],
                                   body: jsonBody("TicketPatch"),
                                   ["200": ticket, "404": ticketNotFound, "422": invalidField,
                                    "409": ["description": "Stale version (the body carries currentTicket), or the ticket is Closed and the patch does more than reopen it (status open alone; field status, no currentTicket). Closed only moves to open (422 on status otherwise).",
                                            "content": ["application/problem+json": ["schema": ref("ConflictProblem")]]],
                                    "428": problem("Neither version nor If-Match was sent."),
                                    "400": problem("The body is not JSON."), "415": problem("The body is not application/json.")]),
                "delete": ticketOperation("Delete a ticket with its thread", "ticket.delete", parameters: [id],
                                    ["204": ["description": "Deleted."], "404": ticketNotFound]),
            ],
            "/api/tickets/by-reference/{reference}": [
                "get": ticketOperation("Read a ticket by reference (TKT-001, any case)", "ticket.view",
                                 parameters: [pathParameter("reference", stringType)], ["200": ticket, "404": ticketNotFound]),
            ],
            "/api/tickets/{id}/timeline": [
                "get": ticketOperation("The ticket's audit timeline, oldest first (kept after deletion)", "ticket.view",
                                 parameters: [id], ["200": jsonResponse("The entries.", schema: ref("AuditPage")),
                                                    "404": problem("No ticket with this id ever existed.")]),
            ],
            "/api/audit": [
                "get": ticketOperation("Recent audit entries, newest first", "audit.view",
                                 parameters: [queryParameter("limit", "1 to 500, default 50.", ["type": "integer", "minimum": 1, "maximum": 500]),
                                              queryParameter("before", "Entry id: page to older entries.", integerType)],
                                 ["200": jsonResponse("A page of entries.", schema: ref("AuditPage")), "422": invalidField]),
            ],
            "/api/contacts": [
                "get": ticketOperation("Search contacts by name or email prefix", "ticket.view",
                                 parameters: [queryParameter("q", "Prefix.", ["type": "string", "maxLength": FieldLimits.email]),
                                              queryParameter("limit", "1 to 100, default 20.", ["type": "integer", "minimum": 1, "maximum": 100])],
                                 ["200": jsonResponse("Matching contacts.", schema: ref("Contacts")), "422": invalidField]),
                "post": ticketOperation("Find a contact by email (any case) or create it", "ticket.create", body: jsonBody("NewContact"),
                                  ["200": jsonResponse("The existing or new contact.", schema: ref("Contact")), "422": invalidField,
                                   "400": problem("The body is not JSON."), "415": problem("The body is not application/json.")]),
            ],
            "/api/contacts/{id}": [
                "get": ticketOperation("Read a contact", "ticket.view", parameters: [id],
                                 ["200": jsonResponse("The contact.", schema: ref("Contact")), "404": problem("No such contact.")]),
            ],
        ]
    }

    private static var listPaths: [String: Any] {
        [
            "/api/tickets": [
                "get": ticketOperation("List tickets: filters, presets, sort and cursor pagination", "ticket.view",
                                 parameters: filterParameters + [queryParameter("limit", "1 to 200, default 50.", ["type": "integer", "minimum": 1, "maximum": 200]),
                                                                 queryParameter("cursor", "nextCursor of the previous page.",
                                                                                ["type": "string", "maxLength": TicketListQuery.maxCursorBytes])],
                                 ["200": jsonResponse("One page.", schema: ref("TicketPage")), "422": invalidField]),
                "post": ticketOperation("Create a ticket (assigning also needs ticket.assign)", "ticket.create", body: jsonBody("NewTicket"),
                                  ["201": jsonResponse("The new ticket (Location header).", schema: ref("Ticket")), "422": invalidField,
                                   "400": problem("The body is not JSON."), "415": problem("The body is not application/json.")]),
            ],
            "/api/search": [
                "get": ticketOperation("Search as you type: by reference, requester name or email, and words", "ticket.view",
                                 parameters: [queryParameter("q", "What was typed (the list's q). Empty: an empty result.",
                                                             ["type": "string", "maxLength": FieldLimits.searchText]),
                                              queryParameter("limit", "1 to \(TicketService.searchLimit), default 10.", integerType)],
                                 ["200": jsonResponse("The exact hit, matching requesters and tickets.", schema: ref("SearchResult")),
                                  "422": invalidField]),
            ],
            "/api/presets": [
                "get": ticketOperation("The built-in list presets with their filters", "ticket.view",
                                 ["200": jsonResponse("The presets.", schema: ref("Presets"))]),
            ],
            "/api/tickets/bulk": [
                "post": ticketOperation("Change or delete many tickets in one transaction, each audited (Closed tickets and refused transitions are listed in skipped)", "ticket.bulk (plus ticket.update, ticket.assign or ticket.delete)",
                                  body: jsonBody("BulkRequest"),
                                  ["200": jsonResponse("What changed and what was skipped.", schema: ref("BulkResult")), "422": invalidField,
                                   "400": problem("The body is not JSON."), "415": problem("The body is not application/json.")]),
            ],
            "/api/tickets/export.pdf": [
                "get": ticketOperation("The filtered list as a PDF table (A4 landscape, at most \(TicketService.maxPDFRows) tickets, header row on every page)", "ticket.export",
                                 parameters: filterParameters,
                                 ["200": ["description": "Content-Disposition: attachment; filename=\"tickets.pdf\". Sent as it is written (Transfer-Encoding: chunked over HTTP/1.1, no Content-Length), in constant server memory. The account's logo (PNG or JPEG; not WebP), the filter and the export time print on every page, with \"Page n of N\"; the last line gives the number of tickets, and says how many were left out past the limit. A failure part way closes the connection without the final chunk.",
                                          "content": ["application/pdf": ["schema": ["type": "string", "contentMediaType": "application/pdf"]]]],
                                  "422": invalidField,
                                  "503": problem("The PDF font (DejaVu Sans, Debian package fonts-dejavu-core) cannot be read.")]),
            ],
            "/api/tickets/export.csv": [
                "get": ticketOperation("The filtered list as CSV (RFC 4180, UTF-8, formulas neutralised)", "ticket.export",
                                 parameters: filterParameters + [queryParameter("bom", "1 to start with a UTF-8 byte order mark.")],
                                 ["200": ["description": "Content-Disposition: attachment; filename=\"tickets.csv\"",
                                          "content": ["text/csv": ["schema": stringType]]], "422": invalidField]),
            ],
        ]
    }

    /// Common download types; any other stored type is possible (`*/*`).
    static let downloadTypes = ["application/octet-stream", "image/png", "image/jpeg", "image/gif", "image/webp",
                                "application/pdf", "text/plain", "text/csv", "application/zip", "*/*"]

    private static var threadPaths: [String: Any] {
        let id = pathParameter("id")
        let file: [String: Any] = ["schema": ["type": "string", "contentMediaType": "application/octet-stream"]]
        return [
            "/api/tickets/{id}/messages": [
                "get": ticketOperation("The thread, oldest first (notes included for agents)", "ticket.view", parameters: [id],
                                 ["200": jsonResponse("The messages.", schema: ref("Thread")), "404": ticketNotFound]),
                "post": ticketOperation("Add a reply or note, as JSON or multipart/form-data with attachments (10 MB each; the whole multipart request at most 54,525,952 bytes, five full-size files plus the fields; it is spooled to disk as it arrives)",
                                  "ticket.update", parameters: [id],
                                  body: ["application/json": ["schema": ref("NewMessage")],
                                         "multipart/form-data": ["schema": ref("NewMessageForm")]],
                                  ["201": jsonResponse("The new message.", schema: ref("Message")), "404": ticketNotFound,
                                   "409": ["description": "Newer replies arrived (the body lists newerMessages; retry with force), or the ticket is Closed (archived): reopen it before replying or adding a note.",
                                           "content": ["application/problem+json": ["schema": ref("ConflictProblem")]]],
                                   "413": problem("A file is larger than 10 MB, or the request larger than 54,525,952 bytes (refused before the body is read); nothing was stored."),
                                   "408": problem("The body arrived too slowly (20 s plus 1 s per 500 bytes)."),
                                   "503": problem("Spooled request bodies fill the server's share of disk; retry after Retry-After seconds."),
                                   "400": problem("Malformed JSON or multipart body."), "415": problem("Neither JSON nor multipart."),
                                   "422": invalidField]),
            ],
            "/api/attachments/{id}": [
                "get": ticketOperation("Download an attachment (always as a download, nosniff, sandboxed)", "ticket.view",
                                 parameters: [id], ["200": ["description": "The file, as its stored type; HTML, SVG, XML and scripts as application/octet-stream.",
                                                    "content": Dictionary(uniqueKeysWithValues: downloadTypes.map { ($0, file) })],
                                                    "404": problem("No such attachment.")]),
            ],
            "/api/attachments/{id}/preview": [
                "get": ticketOperation("Show a PNG, JPEG, GIF or WebP attachment inline", "ticket.view", parameters: [id],
                                 ["200": ["description": "The image.", "content": ["image/png": file, "image/jpeg": file,
                                                                                   "image/gif": file, "image/webp": file]],
                                  "404": problem("No such attachment."), "415": problem("Not a raster image.")]),
            ],
        ]
    }
}
