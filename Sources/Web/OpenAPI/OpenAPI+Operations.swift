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
                            "required": ["status", "uptimeSeconds"],
                            "properties": ["status": ["type": "string", "enum": ["ok"]], "uptimeSeconds": ["type": "integer"]],
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
