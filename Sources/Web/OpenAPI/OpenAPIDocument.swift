import Foundation

/// The OpenAPI 3.1 document served at `/api/openapi.json`, assembled from one part per
/// area of the API (`OpenAPI+Operations.swift`, `OpenAPI+Accounts.swift`, `OpenAPI+Tickets.swift`)
/// so each area keeps its description next to its routes' neighbourhood.
enum OpenAPIDocument {
    /// One area's contribution: paths and component schemas.
    struct Part {
        var paths: [String: Any]
        var schemas: [String: Any]
    }

    static var parts: [Part] { [operations, accounts, tickets, notifications, sla, productivity, mail, reports, portal, surveys, workflows] }

    /// The document as JSON bytes (built once).
    static let json: [UInt8] = {
        var paths: [String: Any] = [:]
        var schemas: [String: Any] = ["Problem": problemSchema]
        for part in parts {
            paths.merge(part.paths) { current, new in mergeOperations(current, new) }
            schemas.merge(part.schemas) { current, _ in current }
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Help desk API",
                "version": "1.0.0",
                "description": "REST API of the help desk. Browser clients authenticate with the session cookie from POST /api/session and send X-CSRF-Token on unsafe methods; integrations send Authorization: Bearer <personal API token>. Errors are application/problem+json naming the offending field.",
            ],
            "servers": [["url": "/"]],
            "paths": paths,
            "components": [
                "schemas": schemas,
                "securitySchemes": [
                    "session": ["type": "apiKey", "in": "cookie", "name": "helpdesk_session"],
                    "bearer": ["type": "http", "scheme": "bearer"],
                ],
            ],
            "security": [["session": []], ["bearer": []]],
        ]
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return Array(data)
    }()

    private static func mergeOperations(_ a: Any, _ b: Any) -> Any {
        guard var left = a as? [String: Any], let right = b as? [String: Any] else { return a }
        left.merge(right) { current, _ in current }
        return left
    }

    static var problemSchema: [String: Any] {
        [
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": [
            "type": ["type": "string"],
            "title": ["type": "string"],
            "status": ["type": "integer"],
            "detail": ["type": "string"],
            "field": ["type": "string", "description": "The request field at fault, when one is."],
        ],
        ]
    }

    // MARK: Helpers for the parts

    /// `{"$ref": "#/components/schemas/<name>"}`.
    static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }

    /// A JSON response description.
    static func jsonResponse(_ description: String, schema: [String: Any]) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": schema]]]
    }

    /// The problem+json response for a status.
    static func problem(_ description: String) -> [String: Any] {
        ["description": description, "content": ["application/problem+json": ["schema": ref("Problem")]]]
    }

    /// The errors every authenticated route can answer.
    static var authErrors: [String: Any] {
        [
        "401": problem("Not signed in, the session expired, or the API token is unknown, revoked or expired."),
        "403": problem("Missing permission or CSRF token, or an unsafe method with a read-only API token."),
        ]
    }
}
