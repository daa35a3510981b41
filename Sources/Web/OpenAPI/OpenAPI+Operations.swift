extension OpenAPIDocument {
    /// Health, metrics and this document.
    static var operations: Part {
        Part(
        paths: [
            "/healthz": [
                "get": [
                    "summary": "Liveness and readiness",
                    "security": [],
                    "responses": [
                        "200": jsonResponse("The server is up and its database answers.", schema: [
                            "type": "object",
                            "required": ["status", "uptimeSeconds", "node", "leader"],
                            "properties": [
                                "status": ["type": "string", "enum": ["ok"]],
                                "uptimeSeconds": ["type": "integer"],
                                "node": ["type": "string", "description": "This process's id among the server nodes (new at every start)."],
                                "leader": ["type": "boolean", "description": "True while this node runs the work done once for the whole desk (SLA timer, email, workflows, notifications, webhooks, chores): from their start, just after it won the leadership, to their stop. Always true on SQLite once started."],
                            ],
                        ]),
                        "503": problem("The database does not answer."),
                    ],
                ],
            ],
            "/metrics": [
                "get": [
                    "summary": "Counters, gauges and the event-loop iteration histogram in the Prometheus text format (with --metrics-token: only for Authorization: Bearer <that token>)",
                    "security": [],
                    "responses": [
                        "200": ["description": "Counters", "content": ["text/plain": ["schema": ["type": "string"]]]],
                        "401": problem("The server was started with --metrics-token and the request does not carry it."),
                    ],
                ],
            ],
            "/api/openapi.json": [
                "get": [
                    "summary": "This document",
                    "security": [],
                    "responses": ["200": jsonResponse("The OpenAPI 3.1 document.", schema: ["type": "object"])],
                ],
            ],
        ],
        schemas: [:])
    }
}
