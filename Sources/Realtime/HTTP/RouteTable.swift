/// The immutable lookup structure behind `Router.handler`.
struct RouteTable: Sendable {
    typealias Handlers = [HTTPMethod: HTTPHandler]

    /// Static patterns by exact raw path: the hot path, one dictionary lookup.
    private var exact: [String: Handlers] = [:]
    /// Every pattern (static ones too, for paths with escapes), parameters before wildcards.
    private var patterns: [(pattern: RoutePattern, handlers: Handlers)] = []

    init(_ routes: [(method: HTTPMethod, pattern: RoutePattern, handler: HTTPHandler)]) {
        for route in routes {
            if route.pattern.isStatic { exact[route.pattern.description, default: [:]][route.method] = route.handler }
            if let index = patterns.firstIndex(where: { $0.pattern.description == route.pattern.description }) {
                patterns[index].handlers[route.method] = route.handler
            } else {
                patterns.append((route.pattern, [route.method: route.handler]))
            }
        }
        // Stable: registration order within each group.
        patterns = patterns.filter { !$0.pattern.hasWildcard } + patterns.filter { $0.pattern.hasWildcard }
    }

    /// Finds the route for `request` and calls it, or completes with 404 / 405.
    func dispatch(_ request: HTTPRequest, _ completion: @escaping HTTPCompletion) {
        let raw = request.rawPath
        let method = request.method
        var allowed: Set<String> = []
        let hasEscapes = raw.utf8.contains(UInt8(ascii: "%"))
        if !hasEscapes {
            let target = request.head.target
            let key = raw.endIndex == target.endIndex ? target : String(raw)
            if let handlers = exact[key] {
                if let handler = Self.handler(in: handlers, for: method) { return handler(request, completion) }
                // A static path owns its name: `DELETE /api/tickets/bulk` is a method the
                // bulk route does not allow (405), not a ticket whose id is "bulk" (404).
                Self.collect(handlers, into: &allowed)
                return Self.methodNotAllowed(allowed, completion)
            }
        }
        let segments = RoutePattern.split(raw)
        for entry in patterns where !(entry.pattern.isStatic && !hasEscapes) {
            guard let parameters = entry.pattern.match(segments: segments) else { continue }
            if let handler = Self.handler(in: entry.handlers, for: method) {
                var request = request
                request.parameters = parameters
                return handler(request, completion)
            }
            Self.collect(entry.handlers, into: &allowed)
        }
        if allowed.isEmpty {
            completion(.success(ProblemDetails.response(status: .notFound, detail: "no route for this path")))
        } else {
            Self.methodNotAllowed(allowed, completion)
        }
    }

    /// RFC 9110 section 15.5.6: a 405 lists the allowed methods.
    private static func methodNotAllowed(_ allowed: Set<String>, _ completion: @escaping HTTPCompletion) {
        var headers = HTTPHeaders()
        headers.add("Allow", allowed.sorted().joined(separator: ", "))
        completion(.success(ProblemDetails.response(status: .methodNotAllowed, detail: "method not allowed for this path", headers: headers)))
    }

    /// The handler for `method`; HEAD falls back to GET (RFC 9110 section 9.3.2).
    private static func handler(in handlers: Handlers, for method: HTTPMethod) -> HTTPHandler? {
        if let handler = handlers[method] { return handler }
        return method == .head ? handlers[.get] : nil
    }

    private static func collect(_ handlers: Handlers, into allowed: inout Set<String>) {
        for method in handlers.keys { allowed.insert(method.description) }
        if handlers[.get] != nil { allowed.insert(HTTPMethod.head.description) }
    }
}
