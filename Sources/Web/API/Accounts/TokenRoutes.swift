import Foundation
import Realtime
import Tickets

/// `/api/tokens`: the signed-in agent's personal API tokens.
enum TokenRoutes {
    struct CreateRequest: Decodable {
        let name: String
        /// ISO 8601 date-time after which the token stops working; absent: until revoked.
        let expiresAt: String?
        /// `read`: safe methods and viewing permissions only; `full` (default): the permissions below.
        let scope: String?
        /// Limits the token to these of the owner's permissions; absent: all of them.
        let permissions: [String]?
    }

    static func register(_ routes: APIRoutes) {
        let accounts = routes.services.accounts
        routes.api(.get, "/api/tokens", permission: nil) { request in
            try JSONBody.response(try await accounts.apiTokens(of: request.principal.agent.id).map(TokenBody.init))
        }
        routes.api(.post, "/api/tokens", permission: nil) { request in
            let body = try request.decode(CreateRequest.self)
            let scope = APITokenScope(
                expiresAt: try body.expiresAt.map { try APIDate.parse($0, field: "expiresAt") },
                readOnly: try readOnly(body.scope),
                permissions: try body.permissions.map { try PermissionCatalog.parse($0) })
            let created = try await accounts.createAPIToken(name: body.name, scope: scope, by: request.actor)
            var response = try JSONBody.response(CreatedTokenBody(token: TokenBody(created.token), secret: created.secret), status: .created)
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        routes.api(.delete, "/api/tokens/:id", permission: nil) { request in
            try await accounts.revokeAPIToken(try request.id("id"), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
    }

    /// `read` or `full` (or absent); anything else is a 422 on `scope`.
    private static func readOnly(_ scope: String?) throws -> Bool {
        switch scope {
        case nil, "full": false
        case "read": true
        default: throw ProblemError.unprocessable("Use \"read\" or \"full\".", field: "scope")
        }
    }
}
