import Realtime

/// Adds `Strict-Transport-Security` to every response when the server speaks TLS itself
/// (RFC 6797): browsers then use HTTPS for this host even when given an http:// link.
/// Outermost in the chain, so error responses carry it too.
struct StrictTransportSecurityMiddleware: HTTPMiddleware {
    /// One year, the value HSTS preload lists ask for; no `includeSubDomains`, since the
    /// help desk cannot know what else runs under its parent domain.
    static let value = "max-age=31536000"

    func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion) {
        next(request) { result in
            completion(result.map { response in
                var response = response
                response.headers.set("Strict-Transport-Security", Self.value)
                return response
            })
        }
    }
}
