import Tickets

/// Component schemas of the ticket routes; each mirrors one JSON type of `API/Tickets/`.
extension OpenAPIDocument {
    static func nullable(_ type: String, format: String? = nil) -> [String: Any] {
        var schema: [String: Any] = ["type": [type, "null"]]
        if let format { schema["format"] = format }
        return schema
    }

    static func objectType(_ properties: [String: Any], required: [String]? = nil) -> [String: Any] {
        ["type": "object", "required": required ?? properties.keys.sorted(), "properties": properties]
    }

    static var dateTimeType: [String: Any] { ["type": "string", "format": "date-time"] }
    static var integerType: [String: Any] { ["type": "integer"] }
    static var stringType: [String: Any] { ["type": "string"] }

    static func enumeration(_ values: [String]) -> [String: Any] { ["type": "string", "enum": values] }

    static var ticketSchemas: [String: Any] {
        let status = enumeration(TicketStatus.allCases.map(\.rawValue))
        let priority = enumeration(TicketPriority.allCases.map(\.rawValue))
        let category = enumeration(TicketCategory.allCases.map(\.rawValue))
        let channel = enumeration(TicketChannel.allCases.map(\.rawValue))
        let actor = objectType(["type": enumeration(["agent", "requester", "system"]), "id": nullable("integer"), "name": nullable("string")])
        return [
            "TicketStatus": status, "TicketPriority": priority, "TicketCategory": category, "TicketChannel": channel,
            "Requester": objectType(["id": integerType, "name": stringType, "email": stringType]),
            "AgentRef": objectType(["id": integerType, "name": stringType]),
            "Actor": actor,
            "Ticket": objectType([
                "id": integerType, "reference": ["type": "string", "pattern": "^TKT-[0-9]{3,}$"], "subject": stringType,
                "description": stringType, "status": ref("TicketStatus"), "priority": ref("TicketPriority"),
                "category": ref("TicketCategory"), "channel": ref("TicketChannel"), "dueAt": nullable("string", format: "date-time"),
                "requester": ref("Requester"), "assignee": ["oneOf": [ref("AgentRef"), ["type": "null"]]],
                "tags": ["type": "array", "items": stringType], "createdAt": dateTimeType, "updatedAt": dateTimeType,
                "firstResponseAt": nullable("string", format: "date-time"), "resolvedAt": nullable("string", format: "date-time"),
                "closedAt": nullable("string", format: "date-time"),
                "version": ["type": "integer", "description": "Send it back with PATCH (or as If-Match: \"v<version>\")."],
                "sla": ["oneOf": [ref("SLA"), ["type": "null"]], "description": "Null when no SLA policy applies."],
                "mergedIntoId": ["type": ["integer", "null"],
                                 "description": "Set when this ticket was merged into another (it is Closed); open that ticket instead. GET answers also carry Link: </api/tickets/<id>>; rel=\"merged-into\"."],
            ]),
            "SearchResult": objectType([
                "query": stringType,
                "exact": ["oneOf": [ref("Ticket"), ["type": "null"]],
                          "description": "The ticket whose reference the text is (TKT-289, 289 or #289); the search box opens it."],
                "contacts": ["type": "array", "items": ref("Contact"), "maxItems": TicketService.searchContactLimit,
                             "description": "Requesters whose name or email match, newest first."],
                "tickets": ["type": "array", "items": ref("Ticket"),
                            "description": "The exact hit first, then by latest activity: the list's q matches."],
            ]),
            "TicketPage": objectType(["tickets": ["type": "array", "items": ref("Ticket")], "nextCursor": nullable("string"),
                                  "total": nullable("integer")]),
            "Attachment": objectType(["id": integerType, "messageId": integerType, "fileName": stringType, "contentType": stringType,
                                  "size": ["type": "integer", "maximum": AttachmentStore.maxFileBytes], "sha256": stringType,
                                  "url": stringType, "previewUrl": nullable("string")]),
            "Message": objectType(["id": integerType, "ticketId": integerType, "kind": enumeration(MessageKind.allCases.map(\.rawValue)),
                               "author": ref("Actor"), "body": stringType, "createdAt": dateTimeType,
                               "attachments": ["type": "array", "items": ref("Attachment")],
                               "email": ["$ref": "#/components/schemas/MessageEmail",
                                         "description": "Present only on a message that travelled by email."]],
                               required: ["id", "ticketId", "kind", "author", "body", "createdAt", "attachments"]),
            "Thread": objectType(["messages": ["type": "array", "items": ref("Message")],
                                  "startingEmail": ["oneOf": [ref("MessageEmail"), ["type": "null"]],
                                                    "description": "The email that started the ticket (its text is the description; replyText is always null here), or null."]]),
            "Contact": objectType(["id": integerType, "name": stringType, "email": stringType, "createdAt": dateTimeType]),
            "Contacts": objectType(["contacts": ["type": "array", "items": ref("Contact")]]),
            "AuditEntry": objectType(["id": integerType, "ticketId": nullable("integer"), "actor": ref("Actor"),
                                  "action": enumeration(AuditAction.allCases.map(\.rawValue)),
                                  "before": nullable("object"), "after": nullable("object"), "at": dateTimeType]),
            "AuditPage": objectType(["entries": ["type": "array", "items": ref("AuditEntry")],
                                 "nextBefore": ["type": ["integer", "null"], "description": "Pass as before= for older entries."]]),
            "Preset": objectType(["id": stringType, "name": stringType, "filter": ["type": "object", "additionalProperties": stringType]]),
            "Presets": objectType(["presets": ["type": "array", "items": ref("Preset")]]),
            "BulkResult": objectType(["updated": ["type": "array", "items": integerType], "deleted": ["type": "array", "items": integerType],
                                  "skipped": ["type": "array", "items": objectType(["id": integerType, "reason": stringType])]]),
            "ConflictProblem": [
                "allOf": [ref("Problem"), [
                    "type": "object",
                    "properties": ["currentTicket": ref("Ticket"), "newerMessages": ["type": "array", "items": ref("Message")]],
                ]],
            ],
        ].merging(requestSchemas(status: status, priority: priority, category: category, channel: channel)) { a, _ in a }
    }

    private static func requestSchemas(status: Any, priority: Any, category: Any, channel: Any) -> [String: Any] {
        let tags: [String: Any] = ["type": "array", "items": ["type": "string", "maxLength": FieldLimits.tag],
                                   "maxItems": FieldLimits.tagsPerTicket]
        let filterValue: [String: Any] = ["oneOf": [stringType, integerType, ["type": "array", "items": ["type": ["string", "integer"]],
                                                                              "maxItems": FieldLimits.filterValues]]]
        let subject: [String: Any] = ["type": "string", "maxLength": FieldLimits.ticketSubject]
        let description: [String: Any] = ["type": "string", "maxLength": FieldLimits.ticketDescription]
        let requester = objectType(["name": ["type": "string", "maxLength": FieldLimits.requesterName],
                                    "email": ["type": "string", "maxLength": FieldLimits.email]], required: ["email"])
        return [
            "NewTicket": [
                "type": "object", "required": ["subject"],
                "anyOf": [["required": ["requesterId"]], ["required": ["requester"]]],
                "description": "Give the requester by requesterId or by requester {name, email}: one of the two is required (422 naming requester without either).",
                "properties": [
                    "subject": subject, "description": description, "requesterId": integerType, "requester": requester,
                    "status": status, "priority": priority, "category": category, "channel": channel,
                    "dueAt": dateTimeType, "assigneeId": integerType, "tags": tags,
                    "slaPolicyId": ["type": "integer", "description": "The SLA policy to run the ticket under (GET /api/sla-policies; 422 naming slaPolicyId when unknown). Absent: the default policy, if any."],
                ],
            ],
            "TicketPatch": [
                "type": "object",
                "description": "Only the keys present change; dueAt and assigneeId accept null to clear. Status: any status may move to any other (the Kanban board's drag is this PATCH), except that a Closed ticket moves only to open (422 on status otherwise), and a Closed ticket takes no other change, not even in the reopening patch (409 on status: reopen first). Assigning needs ticket.assign and an active agent (422 on assigneeId). The requester changes with requesterId (an existing contact) or requester {name, email} (matched case-insensitively, created when new).",
                "properties": [
                    "version": integerType, "subject": subject, "description": description, "status": status, "priority": priority,
                    "category": category, "channel": channel, "dueAt": nullable("string", format: "date-time"),
                    "assigneeId": nullable("integer"), "tags": tags, "requesterId": integerType,
                    "requester": requester,
                ],
            ],
            "NewMessage": [
                "type": "object", "required": ["kind"],
                "properties": [
                    "kind": enumeration(["reply", "note"]), "body": ["type": "string", "maxLength": FieldLimits.messageBody],
                    "afterMessageId": ["type": "integer", "minimum": 0, "description": "The newest message the author saw (0: none yet)."],
                    "force": ["type": "boolean", "description": "Post even if newer replies arrived."],
                ],
            ],
            "NewMessageForm": [
                "type": "object", "required": ["kind"],
                "properties": [
                    "kind": enumeration(["reply", "note"]), "body": stringType, "afterMessageId": stringType, "force": stringType,
                    "attachments": ["type": "array", "items": ["type": "string", "contentMediaType": "application/octet-stream"]],
                ],
            ],
            "NewContact": requester,
            "BulkRequest": [
                "type": "object",
                "description": "Either ids or filter (the list's queryParameter keys), and either change or delete: true.",
                "properties": [
                    "ids": ["type": "array", "items": integerType, "minItems": 1, "maxItems": 1_000],
                    "filter": ["type": "object", "additionalProperties": filterValue,
                               "description": "At most \(FieldLimits.filterValues) values in all."],
                    "change": ["type": "object", "properties": ["status": status, "priority": priority, "category": category,
                                                                "assigneeId": nullable("integer")]],
                    "delete": ["type": "boolean"],
                ],
            ],
        ]
    }
}
