import Realtime

/// Serves the browser app at its own URLs and puts the browser security headers on
/// every HTML response.
///
/// A GET or HEAD for a path outside `/api/`, `/static/`, `/assets/`, `/healthz`, `/metrics`, `/portal` and `/survey`
/// whose `Accept` asks for HTML gets `index.html` (the app routes on the client), so
/// `/tickets/42` can be bookmarked and reloaded. Everything else passes through, so an
/// unknown `/api/` path still answers a JSON 404.
struct AppShellMiddleware: HTTPMiddleware {
    /// No inline script or style anywhere: the app is ES modules and stylesheets only. The
    /// page may open a WebSocket to its own origin only: `connect-src` names it (`'self'`
    /// covers ws: only in CSP Level 3 browsers), never any host.
    static func contentSecurityPolicy(webSocketOrigin: String?) -> String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'" + (webSocketOrigin.map { " " + $0 } ?? "") + "; frame-ancestors 'none'; "
            + "base-uri 'none'; form-action 'self'"
    }
    /// Path prefixes the app never claims.
    static let serverPrefixes = ["/api/", "/static/", AppAssets.prefix]
    /// `/portal` and `/survey` are the requester's own pages (`portal.html`, `survey.html`: no agent app).
    static let serverPaths: Set<String> = ["/api", "/static", "/assets", "/healthz", "/metrics", "/portal", "/survey"]

    let staticFiles: AppAssets?

    func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion) {
        if let staticFiles, Self.isAppPage(request), let index = staticFiles.response(for: request, path: "index.html") {
            completion(.success(Self.secured(index, for: request)))
            return
        }
        next(request) { result in
            completion(result.map { Self.secured($0, for: request) })
        }
    }

    /// True for a GET or HEAD of an app URL by a client that accepts HTML.
    static func isAppPage(_ request: HTTPRequest) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let path = request.path
        guard path != "/", !serverPaths.contains(path), !serverPrefixes.contains(where: path.hasPrefix) else { return false }
        return request.headers["Accept"]?.contains("text/html") ?? false
    }

    /// `response` to `request` with the security headers added when it is an HTML page.
    static func secured(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        guard let type = response.headers["Content-Type"], type.hasPrefix("text/html") else { return response }
        var secured = response
        secured.headers.set("Content-Security-Policy", contentSecurityPolicy(webSocketOrigin: RequestOrigin.webSocketOrigin(of: request)))
        secured.headers.set("X-Content-Type-Options", "nosniff")
        secured.headers.set("Referrer-Policy", "same-origin")
        return secured
    }
}
