import Foundation
import Synchronization
import Realtime
import Tickets

/// Registers API routes that authenticate, check a permission and map domain errors, so
/// no handler can forget to: every `/api` route but login goes through `api(...)`.
struct APIRoutes: Sendable {
    let router: Router
    let services: Services
    /// Whether cookies get the `Secure` attribute (the server sits behind TLS).
    let secureCookies: Bool
    /// Whose `X-Forwarded-For` names the client (sign-in throttling counts per client).
    var trustedProxies: TrustedProxies = .none

    /// Adds `method pattern`: the caller must be signed in and hold `permission` (nil: any
    /// signed-in agent); `handler` runs off the event loop. `fields` renames the domain's
    /// field names to this route's request fields (`requesterEmail` is `email` in a contact's
    /// body), so a 422's `field` always names something the request schema has.
    func api(_ method: HTTPMethod, _ pattern: String, permission: Permission?, fields: [String: String] = [:],
             _ handler: @escaping @Sendable (APIRequest) async throws -> HTTPResponse) {
        let services = self.services
        Self.permissions.withLock { $0["\(method) \(pattern)"] = permission?.rawValue ?? Self.anyAgent }
        router.add(method, pattern, async: { http in
            let request = try await Self.authenticate(http, services: services)
            if case .apiToken(_, readOnly: true, _) = request.credential, Self.isUnsafe(method) {
                throw ProblemError.forbidden("This API token is read-only.")
            }
            if let permission, !request.principal.can(permission) {
                throw ProblemError.forbidden("You need the \(permission.rawValue) permission.")
            }
            try InputLimits.refuseNUL(inQueryOf: http)
            do {
                return try await ConflictProblem.catching(services) { try await handler(request) }
            } catch let error as DomainError {
                return try APIProblem.response(for: error, field: error.field.map { fields[$0] ?? $0 })
            }
        })
    }

    /// What `x-permission` says of a route any signed-in agent may call.
    static let anyAgent = "any signed-in agent"

    /// The permission each registered `api` route checks, by "METHOD pattern" (the same for
    /// every app instance): what the OpenAPI document's `x-permission` is tested against.
    static let permissions = Mutex<[String: String]>([:])

    /// Resolves the principal from a bearer API token or the session cookie; for cookie
    /// sessions, unsafe methods must carry the session's CSRF token in `X-CSRF-Token`.
    static func authenticate(_ http: HTTPRequest, services: Services) async throws -> APIRequest {
        do {
            if let authorization = http.headers["Authorization"] {
                let parts = authorization.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].equalsIgnoringASCIICase("Bearer") else {
                    throw ProblemError.unauthorized("Use Authorization: Bearer <API token>.")
                }
                let authenticated = try await services.accounts.authenticate(apiToken: String(parts[1]))
                return APIRequest(http: http, principal: authenticated.principal,
                                  credential: .apiToken(id: authenticated.token.id, readOnly: authenticated.token.readOnly,
                                                        secret: String(parts[1])))
            }
            guard let token = SessionCookie.token(in: http.headers) else {
                throw ProblemError.unauthorized("Sign in first.")
            }
            let session = try await services.accounts.authenticate(sessionToken: token)
            if isUnsafe(http.method) {
                guard let presented = http.headers["X-CSRF-Token"], services.accounts.verifyCSRF(presented, for: session) else {
                    throw ProblemError.forbidden("Missing or wrong X-CSRF-Token header.")
                }
            }
            return APIRequest(http: http, principal: session.principal, credential: .session(token: token, csrfToken: session.csrfToken))
        } catch let error as DomainError {
            throw ProblemError(status: .unauthorized, detail: error.message)
        }
    }

    static func isUnsafe(_ method: HTTPMethod) -> Bool {
        switch method {
        case .get, .head, .options: false
        case .post, .put, .patch, .delete, .other: true
        }
    }
}

/// Domain errors as `application/problem+json` naming the offending field (conflicts that
/// carry a ticket or messages are answered by `ConflictProblem` in the API's own shapes).
enum APIProblem {
    static func status(for code: DomainError.Code) -> HTTPStatus {
        switch code {
        case .notFound: .notFound
        case .validation: .unprocessableContent
        case .conflict: .conflict
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .throttled: .tooManyRequests
        case .tooLarge: .contentTooLarge
        }
    }

    /// The problem for `error`, naming `field` (default: the domain's own field name).
    static func response(for error: DomainError, field: String?? = .none) throws -> HTTPResponse {
        var headers = HTTPHeaders()
        if let retry = error.retryAfterSeconds { headers.set("Retry-After", String(retry)) }
        return ProblemDetails.response(status: status(for: error.code), detail: error.message, field: field ?? error.field, headers: headers)
    }

    /// The request's `requester {name, email}` fields for the domain's contact field names.
    static let requesterFields = ["requesterEmail": "requester.email", "requesterName": "requester.name"]
}
