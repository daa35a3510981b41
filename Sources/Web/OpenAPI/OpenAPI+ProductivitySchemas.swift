import Tickets

/// Component schemas of the productivity routes; each mirrors one JSON type of `API/Productivity/`
/// or `API/Tickets/CollaborationJSON.swift`.
extension OpenAPIDocument {
    static var productivitySchemas: [String: Any] {
        let agents: [String: Any] = ["type": "array", "items": ref("AgentRef")]
        let idList: [String: Any] = ["type": "array", "items": ["type": "integer", "minimum": 1]]
        let categoryKeys: [String: Any] = ["propertyNames": ref("TicketCategory")]
        return [
            "CannedResponse": objectType([
                "id": integerType, "title": stringType, "body": ["type": "string", "description": "May hold placeholders; see render."],
                "category": ["oneOf": [ref("TicketCategory"), ["type": "null"]]],
                "createdBy": ["oneOf": [ref("AgentRef"), ["type": "null"]]], "createdAt": dateTimeType, "updatedAt": dateTimeType,
            ]),
            "CannedResponses": objectType(["cannedResponses": ["type": "array", "items": ref("CannedResponse")]]),
            "CannedResponseInput": [
                "type": "object", "description": "title and body are required to create; PATCH changes the keys sent.",
                "properties": [
                    "title": ["type": "string", "maxLength": CannedResponse.maxTitleLength],
                    "body": ["type": "string", "maxLength": CannedResponse.maxBodyLength],
                    "category": ["oneOf": [ref("TicketCategory"), ["type": "null"]]],
                ],
            ],
            "RenderRequest": objectType(["ticketId": integerType]),
            "RenderedResponse": objectType(["id": integerType, "title": stringType, "body": stringType,
                                            "unknownPlaceholders": ["type": "array", "items": stringType]]),
            "AssignmentConditions": objectType([
                "categories": ["type": "array", "items": ref("TicketCategory")],
                "priorities": ["type": "array", "items": ref("TicketPriority")],
                "channels": ["type": "array", "items": ref("TicketChannel")],
            ]).merging(["description": "Each an empty list for any value."]) { a, _ in a },
            "AssignmentRule": objectType([
                "id": integerType, "name": stringType, "position": ["type": "integer", "description": "1 runs first."],
                "enabled": ["type": "boolean"], "method": enumeration(["round_robin", "category_based"]),
                "conditions": ref("AssignmentConditions"),
                "agents": agents.merging(["description": "The round-robin pool in rotation order (empty for category_based)."]) { a, _ in a },
                "categoryAgents": ["type": "object", "additionalProperties": agents,
                                   "description": "Category to its agents (empty for round_robin)."].merging(categoryKeys) { a, _ in a },
                "maxOpenTickets": ["type": ["integer", "null"], "description": "Agents with this many open tickets are skipped."],
                "createdAt": dateTimeType, "updatedAt": dateTimeType,
            ]),
            "AssignmentRules": objectType(["rules": ["type": "array", "items": ref("AssignmentRule")]]),
            "AssignmentRuleInput": [
                "type": "object",
                "description": "To create: name and either agentIds (round robin) or categoryAgents (category based). agentIds and categoryAgents imply method; PATCH changes the keys sent.",
                "properties": [
                    "name": ["type": "string", "maxLength": AssignmentRuleService.maxNameLength], "enabled": ["type": "boolean"],
                    "method": enumeration(["round_robin", "category_based"]),
                    "conditions": [
                        "type": "object",
                        "properties": ["categories": ["type": "array", "items": ref("TicketCategory")],
                                       "priorities": ["type": "array", "items": ref("TicketPriority")],
                                       "channels": ["type": "array", "items": ref("TicketChannel")]],
                    ],
                    "agentIds": idList.merging(["maxItems": AssignmentRuleService.maxAgentsPerList]) { a, _ in a },
                    "categoryAgents": ["type": "object", "additionalProperties": idList].merging(categoryKeys) { a, _ in a },
                    "maxOpenTickets": ["type": ["integer", "null"], "minimum": 1, "maximum": AssignmentRuleService.maxOpenCap],
                ],
            ],
            "ReorderRequest": objectType(["ids": idList]),
            "MergeRequest": objectType(["secondaryIds": idList.merging(["minItems": 1, "maxItems": TicketService.maxMergeSecondaries]) { a, _ in a }]),
            "MergeResult": objectType(["primary": ref("Ticket"), "secondaries": ["type": "array", "items": ref("Ticket")],
                                       "movedMessages": integerType]),
            "WatcherRequest": objectType(["agentId": integerType]),
            "Watchers": objectType(["ticketId": integerType, "watchers": agents]),
            "CCs": objectType(["ticketId": integerType, "ccs": ["type": "array", "items": ref("Contact")]]),
            "TicketLink": objectType([
                "id": integerType, "kind": enumeration(TicketLinkKind.allCases.map(\.rawValue)),
                "title": ["type": "string", "description": "For kind ticket: the other ticket's reference and subject."],
                "url": nullable("string"),
                "ticket": ["oneOf": [objectType(["id": integerType, "reference": stringType, "subject": stringType,
                                                 "status": ref("TicketStatus")]), ["type": "null"]],
                           "description": "The other ticket, for kind ticket."],
                "createdBy": ["oneOf": [ref("AgentRef"), ["type": "null"]]], "createdAt": dateTimeType,
            ]),
            "TicketLinks": objectType(["ticketId": integerType, "links": ["type": "array", "items": ref("TicketLink")]]),
            "NewLink": [
                "type": "object", "required": ["kind"],
                "description": "issue, task, incident: title (and an optional http or https url). ticket: ticketId.",
                "properties": [
                    "kind": enumeration(TicketLinkKind.allCases.map(\.rawValue)),
                    "title": ["type": "string", "maxLength": TicketLink.maxTitleLength],
                    "url": ["type": "string", "format": "uri", "maxLength": TicketLink.maxURLLength],
                    "ticketId": integerType,
                ],
            ],
        ]
    }
}
