import Synchronization

/// Completes a request with a response or an error (an `HTTPError` for a chosen status).
public typealias HTTPCompletion = @Sendable (Result<HTTPResponse, any Error>) -> Void
/// Handles a request and calls the completion exactly once, on any thread.
public typealias HTTPHandler = @Sendable (HTTPRequest, @escaping HTTPCompletion) -> Void

/// A step around the rest of the chain (logging, errors, authentication, compression).
public protocol HTTPMiddleware: Sendable {
    /// Handles `request`, usually by calling `next` and passing on or changing its result.
    func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion)
}

/// Routes requests by method and path pattern through a middleware chain.
///
/// Register routes and middleware at start-up, then read `handler` once and give it
/// to the server: the chain is an immutable snapshot, safe to call from any thread.
public final class Router: Sendable {
    private struct Builder {
        var routes: [(method: HTTPMethod, pattern: RoutePattern, handler: HTTPHandler)] = []
        var middlewares: [any HTTPMiddleware] = []
    }

    private let builder = Mutex(Builder())

    public init() {}

    /// Registers a completion-style handler for `method` and `pattern`.
    public func add(_ method: HTTPMethod, _ pattern: String, _ handler: @escaping HTTPHandler) {
        let compiled = RoutePattern(pattern)
        builder.withLock { $0.routes.append((method, compiled, handler)) }
    }

    /// Registers a synchronous handler, run inline on the caller's thread (the event
    /// loop): for cheap work only. A thrown error becomes the `.failure` result.
    public func add(_ method: HTTPMethod, _ pattern: String, sync handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        add(method, pattern) { request, completion in
            completion(Result { try handler(request) })
        }
    }

    /// Registers an async handler, run in a Task off the event loop.
    public func add(_ method: HTTPMethod, _ pattern: String, async handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) {
        add(method, pattern) { request, completion in
            Task {
                do {
                    completion(.success(try await handler(request)))
                } catch {
                    completion(.failure(error))
                }
            }
        }
    }

    /// Every registered route as (method, pattern text), in registration order: what a
    /// test compares with the API's description.
    public var registeredRoutes: [(method: HTTPMethod, pattern: String)] {
        builder.withLock { $0.routes.map { ($0.method, $0.pattern.description) } }
    }

    /// Adds a middleware; the first added is the outermost.
    public func use(_ middleware: any HTTPMiddleware) {
        builder.withLock { $0.middlewares.append(middleware) }
    }

    /// The whole chain: middleware, then route lookup, then the handler; 404 when no
    /// route matches the path, 405 with `Allow` when only other methods do, and HEAD
    /// served by the GET route when there is no HEAD route (the connection drops the body).
    public var handler: HTTPHandler {
        let (table, middlewares) = builder.withLock { (RouteTable($0.routes), $0.middlewares) }
        var next: HTTPHandler = { request, completion in table.dispatch(request, completion) }
        for middleware in middlewares.reversed() {
            let inner = next
            next = { request, completion in middleware.handle(request, next: inner, completion: completion) }
        }
        return next
    }
}

extension Router {
    /// Registers a synchronous GET handler (inline on the event loop: cheap work only).
    public func get(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) { add(.get, pattern, sync: handler) }
    /// Registers a synchronous POST handler (inline on the event loop: cheap work only).
    public func post(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) { add(.post, pattern, sync: handler) }
    /// Registers a synchronous PUT handler (inline on the event loop: cheap work only).
    public func put(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) { add(.put, pattern, sync: handler) }
    /// Registers a synchronous PATCH handler (inline on the event loop: cheap work only).
    public func patch(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) { add(.patch, pattern, sync: handler) }
    /// Registers a synchronous DELETE handler (inline on the event loop: cheap work only).
    public func delete(_ pattern: String, _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) { add(.delete, pattern, sync: handler) }

    /// Registers an async GET handler, run in a Task.
    public func get(_ pattern: String, async handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) { add(.get, pattern, async: handler) }
    /// Registers an async POST handler, run in a Task.
    public func post(_ pattern: String, async handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) { add(.post, pattern, async: handler) }
    /// Registers an async PUT handler, run in a Task.
    public func put(_ pattern: String, async handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) { add(.put, pattern, async: handler) }
    /// Registers an async PATCH handler, run in a Task.
    public func patch(_ pattern: String, async handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) { add(.patch, pattern, async: handler) }
    /// Registers an async DELETE handler, run in a Task.
    public func delete(_ pattern: String, async handler: @escaping @Sendable (HTTPRequest) async throws -> HTTPResponse) { add(.delete, pattern, async: handler) }
}
