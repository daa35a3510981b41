import Tickets

/// SLA policies, assigning a policy to a ticket, and the `sla` object every Ticket carries.
extension OpenAPIDocument {
    static var sla: Part {
        let id = pathParameter("id")
        let policy = jsonResponse("The policy.", schema: ref("SLAPolicy"))
        let notFound = problem("No such policy.")
        let bodyErrors: [String: Any] = [
            "400": problem("The body is not JSON."), "415": problem("The body is not application/json."), "422": invalidField,
        ]
        return Part(
            paths: [
                "/api/sla-policies": [
                    "get": ticketOperation("Every SLA policy, the default first", "ticket.view",
                                           ["200": jsonResponse("The policies.", schema: ref("SLAPolicyList"))]),
                    "post": ticketOperation("Create an SLA policy (marking it default unmarks the previous one)", "sla.manage",
                                            body: jsonBody("SLAPolicyInput"),
                                            ["201": jsonResponse("The new policy (Location header).", schema: ref("SLAPolicy")),
                                             "409": problem("A policy with this name exists.")].merging(bodyErrors) { a, _ in a }),
                ],
                "/api/sla-policies/{id}": [
                    "get": ticketOperation("Read an SLA policy", "ticket.view", parameters: [id], ["200": policy, "404": notFound]),
                    "patch": ticketOperation("Change an SLA policy; its running tickets move to the new targets keeping consumed time",
                                             "sla.manage", parameters: [id], body: jsonBody("SLAPolicyInput"),
                                             ["200": policy, "404": notFound, "409": problem("A policy with this name exists.")]
                                                .merging(bodyErrors) { a, _ in a }),
                    "delete": ticketOperation("Delete an SLA policy; its tickets move to the default (which cannot be deleted)",
                                              "sla.manage", parameters: [id],
                                              ["204": ["description": "Deleted."], "404": notFound,
                                               "409": problem("The default policy cannot be deleted; mark another default first.")]),
                ],
                "/api/test/clock": [
                    "post": ticketOperation("FOR TESTS AND DEMOS ONLY: move the server's clock forward (the route exists only when the server was started with --test-clock; 404 otherwise)",
                                            "sla.manage", body: jsonBody("TestClockAdvance"),
                                            ["200": jsonResponse("The server's time now.", schema: objectType(["now": dateTimeType, "offsetSeconds": ["type": "number"]])),
                                             "404": problem("The server was not started with --test-clock.")].merging(bodyErrors) { a, _ in a })
                        .merging(["x-only-with": "--test-clock"]) { _, new in new },
                ],
                "/api/tickets/{id}/sla-policy": [
                    "put": ticketOperation("Put a ticket under an SLA policy, keeping consumed time", "ticket.update",
                                           parameters: [id], body: jsonBody("SLAPolicyAssignment"),
                                           ["200": jsonResponse("The ticket with its new sla; audited on the ticket (ticket.sla_policy_changed) and sent live as ticket.updated with changedFields [\"slaPolicy\"].", schema: ref("Ticket")),
                                            "404": problem("No such ticket or policy."),
                                            "409": problem("The ticket is Closed (archived): reopen it first.")].merging(bodyErrors) { a, _ in a }),
                ],
            ],
            schemas: slaSchemas)
    }

    private static var slaSchemas: [String: Any] {
        let minutes: [String: Any] = ["type": "integer", "minimum": 1, "maximum": SLAPolicyRules.maxTargetMinutes]
        let targets = objectType(["urgent": minutes, "high": minutes, "medium": minutes, "low": minutes])
        let start: [String: Any] = ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:mm, 00:00 to 23:59."]
        let end: [String: Any] = ["type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
                                  "description": "HH:mm, 00:00 to 24:00. 24:00 (also written 00:00, and answered as 24:00) is midnight at the end of the day: 00:00-24:00 is all day. An end before the start is an overnight shift; an end equal to the start is 24 hours from the start."]
        let hours = objectType(["start": start, "end": end, "weekdays": [
            "type": "array", "items": enumeration(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])]])
        let holidays: [String: Any] = ["type": "array", "items": ["type": "string", "format": "date"], "maxItems": SLAPolicyRules.maxHolidays]
        let percent: [String: Any] = ["type": "integer", "minimum": 1, "maximum": 99,
                                      "description": "Breaching once the business time left is at most this % of the target."]
        let nextResponse: [String: Any] = ["oneOf": [ref("PriorityTargets"), ["type": "null"]]]
        let fields: [String: Any] = [
            "name": ["type": "string", "maxLength": SLAPolicyRules.maxNameLength], "firstResponse": ref("PriorityTargets"),
            "resolution": ref("PriorityTargets"), "nextResponse": nextResponse, "hours": ref("BusinessHours"),
            "timeZone": ["type": "string", "description": "IANA zone.", "maxLength": SLAPolicyRules.maxTimeZoneLength],
            "holidays": holidays, "warningPercent": percent, "isDefault": ["type": "boolean"],
        ]
        let metric = objectType([
            "metric": enumeration(SLAMetric.allCases.map(\.rawValue)), "targetMinutes": integerType,
            "dueAt": nullable("string", format: "date-time"), "met": ["type": "boolean"], "breached": ["type": "boolean"],
            "metAt": nullable("string", format: "date-time"), "breachedAt": nullable("string", format: "date-time"),
            "running": ["type": "boolean"],
        ])
        return [
            "PriorityTargets": targets,
            "BusinessHours": hours,
            "SLAPolicy": objectType(fields.merging(["id": integerType, "createdAt": dateTimeType, "updatedAt": dateTimeType]) { a, _ in a }),
            "SLAPolicyList": objectType(["policies": ["type": "array", "items": ref("SLAPolicy")]]),
            "SLAPolicyInput": [
                "type": "object", "properties": fields,
                "description": "POST needs name, firstResponse and resolution; PATCH changes only the keys sent.",
            ],
            "SLAPolicyAssignment": objectType(["policyId": integerType]),
            "TestClockAdvance": objectType(["advanceSeconds": ["type": "number", "exclusiveMinimum": 0, "maximum": TestClock.maxAdvanceSeconds]]),
            "SLAMetric": metric,
            "SLA": objectType([
                "status": enumeration(SLAStatus.allCases.map(\.rawValue)), "policyId": integerType,
                "nearestDueAt": nullable("string", format: "date-time"), "metrics": ["type": "array", "items": ref("SLAMetric")],
            ]),
        ]
    }
}
