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
        for (path, item) in paths { paths[path] = normalize(item, path: path) }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Help desk API",
                "version": "1.1.0",
                "description": "REST API of the help desk. Browser clients authenticate with the session cookie from POST /api/session and send X-CSRF-Token on unsafe methods; integrations send Authorization: Bearer <personal API token>. Errors are application/problem+json naming the offending field (a path into the request body, a parameter, or one of the operation's x-problem-fields). x-permission on every operation names the permission the server checks. A method a path does not list is answered 405 with Allow. Names are camelCase with Id. 1.1.0: roleID became roleId (roleID is still accepted on input) and logoURL logoUrl; slaPolicyId on new tickets; statusText on links; 409 for changes to Closed tickets.",
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

    static let methods: Set<String> = ["get", "put", "post", "patch", "delete"]

    /// Adds the answers every operation of a kind can give, so no part can forget them:
    /// 404 where the path has a parameter (`APIRequest.id` refuses what is not a positive
    /// integer, and the thing may not exist), and 400/415/422 where a JSON body is decoded
    /// (`JSONBody.decode`). A part's own description of a status wins.
    static func normalize(_ item: Any, path: String) -> Any {
        guard var item = item as? [String: Any], !path.isEmpty else { return item }
        for (method, value) in item where methods.contains(method) {
            guard var operation = value as? [String: Any], var responses = operation["responses"] as? [String: Any] else { continue }
            if operation["x-permission"] == nil {
                operation["x-permission"] = publicPermission(operation)
            }
            if path.contains("{"), responses["404"] == nil {
                responses["404"] = problem("Not found: no such resource, or a path parameter is not a positive integer.")
            }
            let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
            if body?["application/json"] != nil {
                let json: [String: Any] = [
                    "400": problem("The body is not valid JSON."),
                    "415": problem("The body is not \(body?.count == 1 ? "application/json" : "one of the documented media types")."),
                    "422": problem("A field is missing, has the wrong type or a value that is not allowed; `field` names it."),
                ]
                responses.merge(json) { mine, _ in mine }
            }
            operation["responses"] = responses
            item[method] = operation
        }
        return item
    }

    /// `operation` with `x-problem-fields`: names a 422's `field` may use that are not
    /// request properties (the captcha as a whole; a stored template's body).
    static func withProblemFields(_ operation: [String: Any], _ fields: [String]) -> [String: Any] {
        operation.merging(["x-problem-fields": fields]) { _, new in new }
    }

    /// `x-permission` of an operation that takes no session: the token header it reads
    /// instead (the portal's and the survey's), or none at all.
    private static func publicPermission(_ operation: [String: Any]) -> String {
        let parameters = operation["parameters"] as? [[String: Any]] ?? []
        if let token = parameters.first(where: { ($0["in"] as? String) == "header" && ($0["name"] as? String)?.hasSuffix("-Token") == true }),
           let name = token["name"] as? String {
            return "none: the \(name) header"
        }
        return "none (public)"
    }

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
