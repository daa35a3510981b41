import Tickets
extension OpenAPIDocument {
    /// The signed-in agent's notification feed and preferences.
    static var notifications: Part {
        let kinds = ["assigned", "reply", "status_changed", "sla_warning", "sla_breached", "csat_rated", "email_failed", "mentioned", "workflow"]
        return Part(
            paths: [
                "/api/notifications": [
                    "get": operation("Your notifications, newest first", permission: nil, responses: [
                        "200": jsonResponse("A page of the feed and the unread count.", schema: ref("NotificationFeed")),
                        "422": problem("A bad limit or before; `field` names it."),
                    ]).merging(["parameters": [
                        ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]],
                        ["name": "before", "in": "query", "schema": ["type": "integer", "minimum": 1], "description": "Only notifications with a smaller id (the next page)."],
                        ["name": "unread", "in": "query", "schema": ["type": "string", "enum": ["1", "true"]]],
                    ]]) { mine, _ in mine },
                ],
                "/api/notifications/read": [
                    "post": operation("Mark notifications as read", permission: nil, body: "MarkReadRequest", responses: [
                        "200": jsonResponse("The unread count afterwards.", schema: [
                            "type": "object", "required": ["unreadCount"], "properties": ["unreadCount": ["type": "integer"]],
                        ]),
                    ]),
                ],
                "/api/notifications/preferences": [
                    "get": operation("Which kinds of notification you receive", permission: nil, responses: [
                        "200": jsonResponse("Every kind with on or off.", schema: ref("NotificationPreferences")),
                    ]),
                    "put": operation("Switch kinds on or off (kinds not sent keep their setting)", permission: nil,
                                     body: "NotificationPreferences", responses: [
                        "200": jsonResponse("Every kind with on or off.", schema: ref("NotificationPreferences")),
                    ]),
                ],
            ],
            schemas: [
                "Notification": [
                    "type": "object",
                    "required": ["id", "kind", "ticketId", "ticketReference", "title", "createdAt", "readAt"],
                    "properties": [
                        "id": ["type": "integer"],
                        "kind": ["type": "string", "enum": kinds],
                        "ticketId": ["type": ["integer", "null"]],
                        "ticketReference": ["type": "string"],
                        "title": ["type": "string"],
                        "createdAt": ["type": "string", "format": "date-time"],
                        "readAt": ["type": ["string", "null"], "format": "date-time"],
                    ],
                ],
                "NotificationFeed": [
                    "type": "object",
                    "required": ["notifications", "unreadCount"],
                    "properties": ["notifications": ["type": "array", "items": ref("Notification")], "unreadCount": ["type": "integer"]],
                ],
                "MarkReadRequest": [
                    "type": "object",
                    "description": "Either ids or all: true.",
                    "properties": ["ids": ["type": "array", "items": ["type": "integer"], "maxItems": FieldLimits.notificationIDs],
                                   "all": ["type": "boolean"]],
                ],
                "NotificationPreferences": [
                    "type": "object",
                    "properties": Dictionary(uniqueKeysWithValues: kinds.map { ($0, ["type": "boolean"] as [String: Any]) }),
                    "additionalProperties": false,
                ],
            ])
    }
}
