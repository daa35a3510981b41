import Foundation
import Realtime
import Tickets

/// `/api/tokens`: the signed-in agent's personal API tokens.
enum TokenRoutes {
    struct CreateRequest: Decodable {
        let name: String
    }

    static func register(_ routes: APIRoutes) {
        let accounts = routes.services.accounts
        routes.api(.get, "/api/tokens", permission: nil) { request in
            try JSONBody.response(try await accounts.apiTokens(of: request.principal.agent.id).map(TokenBody.init))
        }
        routes.api(.post, "/api/tokens", permission: nil) { request in
            let body = try request.decode(CreateRequest.self)
            let created = try await accounts.createAPIToken(name: body.name, by: request.actor)
            var response = try JSONBody.response(CreatedTokenBody(token: TokenBody(created.token), secret: created.secret), status: .created)
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        routes.api(.delete, "/api/tokens/:id", permission: nil) { request in
            try await accounts.revokeAPIToken(try request.id("id"), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
    }
}
