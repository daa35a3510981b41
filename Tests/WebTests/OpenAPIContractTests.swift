import Foundation
import Realtime
import Testing
import Tickets
@testable import Web

/// The OpenAPI document against the routes the app really registers: every route is
/// described, every description is a route, and `x-permission` states what the route checks.
@Suite("OpenAPI document against the registered routes", .serialized)
struct OpenAPIContractTests {
    private static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
    }

    private static func paths() throws -> [String: [String: Any]] {
        try #require(try document()["paths"] as? [String: [String: Any]])
    }

    /// `/api/tickets/:id` -> `/api/tickets/{id}`.
    private static func openAPIPath(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    private static func described(_ path: String) -> Bool { path.hasPrefix("/api/") || path == "/healthz" || path == "/metrics" }

    @Test("every registered API route is documented with its method, and every documented operation is a registered route")
    func routesAndDocumentMatch() async throws {
        let desk = try await InProcessDesk()
        defer { Task { await desk.close() } }
        let registered = Set(desk.app.router.registeredRoutes
            .filter { Self.described($0.pattern) && $0.method != .head && $0.method != .options }
            .map { "\($0.method.description.lowercased()) \(Self.openAPIPath($0.pattern))" })
        var documented: Set<String> = []
        for (path, item) in try Self.paths() {
            // Routes that exist only with a start-up flag (x-only-with) are not in this desk.
            for (method, operation) in item where OpenAPIDocument.methods.contains(method)
                && (operation as? [String: Any])?["x-only-with"] == nil {
                documented.insert("\(method) \(path)")
            }
        }
        #expect(registered.subtracting(documented).sorted() == [], "routes the document does not describe")
        #expect(documented.subtracting(registered).sorted() == [], "documented operations no route serves")
    }

    @Test("every operation states x-permission, and for an authenticated API route it names the permission the route checks")
    func everyOperationStatesItsPermission() async throws {
        let desk = try await InProcessDesk()
        defer { Task { await desk.close() } }
        let checked = APIRoutes.permissions.withLock { $0 }
        #expect(!checked.isEmpty)
        for (path, item) in try Self.paths() {
            for (method, value) in item where OpenAPIDocument.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let stated = operation["x-permission"] as? String
                #expect(stated != nil, "\(method) \(path) has no x-permission")
                let pattern = path.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
                if let permission = checked["\(method.uppercased()) \(pattern)"] {
                    #expect(stated == permission, "\(method) \(path): x-permission \(stated ?? "none") but the route checks \(permission)")
                }
            }
        }
    }

    @Test("every permission a role can grant guards a documented operation (workflow.manage waits for the workflows being built)")
    func everyPermissionGuardsSomething() throws {
        var stated = ""
        for (_, item) in try Self.paths() {
            for (method, value) in item where OpenAPIDocument.methods.contains(method) {
                guard let operation = value as? [String: Any] else { continue }
                stated += " \(operation["x-permission"] ?? "") \(operation["summary"] ?? "") \(operation["description"] ?? "")"
            }
        }
        let pending: Set<Permission> = [.workflowManage]
        let unguarded = Permission.allCases.filter { !pending.contains($0) && !stated.contains($0.rawValue) }
        #expect(unguarded.map(\.rawValue) == [], "permissions no operation names")
    }

    @Test("wire names are one style: camelCase with Id (never ID, never snake_case) in every schema and parameter")
    func wireCasingIsOneStyle() throws {
        let camel = try Regex("^[a-z][a-zA-Z0-9]*$")
        var names: Set<String> = []
        var enumValues: Set<String> = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let values = object["enum"] as? [String] { enumValues.formUnion(values) }
                if let properties = object["properties"] as? [String: Any] { names.formUnion(properties.keys) }
                if let name = object["name"] as? String, let location = object["in"] as? String, location == "query" || location == "path" {
                    names.insert(name)
                }
                for child in object.values { collect(child) }
            } else if let array = value as? [Any] {
                for child in array { collect(child) }
            }
        }
        collect(try Self.document())
        // Keys that are values of a documented enum (notification preferences by kind) are data.
        let odd = names.subtracting(enumValues).filter { name in
            name.wholeMatch(of: camel) == nil || name.contains("ID") || name.contains("URL")
        }
        #expect(odd.sorted() == [], "names not in camelCase with Id")
    }

    @Test("operations with a path parameter document 404, and those taking a JSON body document 400, 415 and 422")
    func genericAnswersAreDocumented() throws {
        for (path, item) in try Self.paths() {
            for (method, value) in item where OpenAPIDocument.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let responses = try #require(operation["responses"] as? [String: Any])
                if path.contains("{") { #expect(responses["404"] != nil, "\(method) \(path) lacks 404") }
                let body = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                if body?["application/json"] != nil {
                    for status in ["400", "415", "422"] { #expect(responses[status] != nil, "\(method) \(path) lacks \(status)") }
                }
            }
        }
    }
}
