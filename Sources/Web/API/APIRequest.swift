import Foundation
import Realtime
import Tickets

/// How a request proved who it is.
enum Credential: Sendable {
    /// The browser session cookie (unsafe methods must also carry the CSRF token).
    case session(token: String, csrfToken: String)
    /// `Authorization: Bearer <personal API token>` (integrations; no CSRF, no cookies).
    /// A read-only token is refused on unsafe methods. `secret` lets a live socket opened
    /// with the token re-check it when access changes.
    case apiToken(id: Int64, readOnly: Bool, secret: String)
}

/// An authenticated API request: the HTTP request, the principal behind it and how it
/// authenticated. Handlers receive it only after the route's permission was checked.
public struct APIRequest: Sendable {
    public let http: HTTPRequest
    public let principal: Principal
    let credential: Credential

    /// The principal as a domain actor.
    public var actor: Actor { .agent(principal) }

    /// Route parameter `name` as a positive integer id, or a 404 naming it.
    public func id(_ name: String) throws -> Int64 {
        guard let text = http.parameters[name], let value = Int64(text), value > 0 else {
            throw ProblemError.notFound("No such \(name).")
        }
        return value
    }

    /// The JSON body decoded as `T`; malformed JSON is a 400, a wrong field a 422 naming it.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONBody.decode(type, from: http)
    }
}

/// The session cookie's name and attributes.
enum SessionCookie {
    static let name = "helpdesk_session"

    /// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax, Secure behind TLS, with a
    /// Max-Age matching the session's absolute lifetime.
    static func set(_ token: String, maxAgeSeconds: Int, secure: Bool) -> String {
        "\(name)=\(token); Path=/; HttpOnly; SameSite=Lax; Max-Age=\(maxAgeSeconds)" + (secure ? "; Secure" : "")
    }

    /// `Set-Cookie` that removes the cookie.
    static func clear(secure: Bool) -> String {
        "\(name)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + (secure ? "; Secure" : "")
    }

    /// The session token from a `Cookie` header, if present.
    static func token(in headers: HTTPHeaders) -> String? {
        for header in headers.values("Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingASCIISpaces() == name {
                    let value = parts[1].trimmingASCIISpaces()
                    return value.isEmpty ? nil : String(value)
                }
            }
        }
        return nil
    }
}
