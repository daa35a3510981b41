import Foundation
import Realtime
import Tickets

/// `POST/GET/DELETE /api/session`: sign in, who am I, sign out.
enum SessionRoutes {
    struct LoginRequest: Decodable {
        let email: String
        let password: String
    }

    static func register(_ routes: APIRoutes) {
        let services = routes.services
        let secure = routes.secureCookies
        let proxies = routes.trustedProxies
        // Login is the one unauthenticated account route. Requiring a JSON body keeps
        // cross-site forms from posting it (login CSRF): they cannot send application/json.
        routes.router.add(.post, "/api/session", async: { http in
            try InputLimits.refuseNUL(inQueryOf: http)
            let body = try JSONBody.decode(LoginRequest.self, from: http)
            return try await AccountsAPI.mappingDomainErrors {
                let grant = try await services.accounts.login(
                    email: body.email, password: body.password, ip: proxies.clientAddress(of: http),
                    previousToken: SessionCookie.token(in: http.headers))
                let roleName = try await AccountsAPI.roleName(grant.principal.agent.roleID, services: services)
                var response = try JSONBody.response(SessionBody(grant.principal, roleName: roleName, csrfToken: grant.csrfToken))
                let maxAge = Int(services.accounts.sessionPolicy.absoluteLifetimeSeconds)
                response.headers.add("Set-Cookie", SessionCookie.set(grant.token, maxAgeSeconds: maxAge, secure: secure))
                response.headers.set("Cache-Control", "no-store")
                return response
            }
        })
        routes.api(.get, "/api/session", permission: nil) { request in
            let roleName = try await AccountsAPI.roleName(request.principal.agent.roleID, services: services)
            var response = try JSONBody.response(SessionBody(request.principal, roleName: roleName, csrfToken: request.csrfToken))
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        routes.api(.delete, "/api/session", permission: nil) { request in
            if case .session(let token, _) = request.credential {
                try await services.accounts.logout(sessionToken: token)
            }
            var response = HTTPResponse(status: .noContent)
            response.headers.add("Set-Cookie", SessionCookie.clear(secure: secure))
            return response
        }
    }
}

extension APIRequest {
    /// The session's CSRF token; nil for bearer-token requests.
    var csrfToken: String? {
        switch credential {
        case .session(_, let csrfToken): csrfToken
        case .apiToken: nil
        }
    }
}
