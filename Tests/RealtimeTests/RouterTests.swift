import Synchronization
import Testing
@testable import Realtime

/// Runs `handler` on a request and returns the result (sync handlers complete inline).
func run(_ handler: HTTPHandler, _ method: HTTPMethod, _ target: String, _ fields: [(String, String)] = []) async -> Result<HTTPResponse, any Error> {
    let request = HTTPRequest(head: HTTPRequestHead(method: method, target: target, version: .http1_1, headers: HTTPHeaders(fields)))
    return await withCheckedContinuation { continuation in
        handler(request) { continuation.resume(returning: $0) }
    }
}

/// The response of a successful result.
func response(_ result: Result<HTTPResponse, any Error>) -> HTTPResponse? {
    try? result.get()
}

/// The UTF-8 text of an in-memory body.
func bodyText(_ response: HTTPResponse?) -> String? {
    guard case .bytes(let bytes)? = response?.body else { return nil }
    return String(decoding: bytes, as: UTF8.self)
}

struct Recorder: HTTPMiddleware {
    let name: String
    let log: SharedLog

    func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion) {
        log.lines.withLock { $0.append("in \(name)") }
        next(request) { result in
            log.lines.withLock { $0.append("out \(name)") }
            completion(result)
        }
    }
}

final class SharedLog: Sendable {
    let lines = Mutex<[String]>([])
    let clock = Mutex<Double>(10)

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

@Suite("Router")
struct RouterTests {
    func makeRouter() -> Router {
        let router = Router()
        router.get("/hello") { _ in .text("hi") }
        router.get("/tickets/:id") { .text("ticket \($0.parameters["id"] ?? "?")") }
        router.get("/tickets/new") { _ in .text("new form") }
        router.patch("/tickets/:id") { .text("patched \($0.parameters["id"] ?? "?")") }
        router.get("/tickets/:id/messages/:message") { .text("\($0.parameters["id"]!)/\($0.parameters["message"]!)") }
        router.get("/static/*path") { .text("file \($0.parameters["path"]!)") }
        router.post("/hello") { _ in .text("posted", status: .created) }
        return router
    }

    @Test("Static routes match exactly, query strings are ignored")
    func staticRoute() async {
        let handler = makeRouter().handler
        #expect(bodyText(response(await run(handler, .get, "/hello"))) == "hi")
        #expect(bodyText(response(await run(handler, .get, "/hello?x=1"))) == "hi")
        #expect(response(await run(handler, .post, "/hello"))?.status == .created)
        #expect(response(await run(handler, .get, "/hello/"))?.status == .notFound)
    }

    @Test("Parameters are captured and percent-decoded; static segments win")
    func parameters() async {
        let handler = makeRouter().handler
        #expect(bodyText(response(await run(handler, .get, "/tickets/42"))) == "ticket 42")
        #expect(bodyText(response(await run(handler, .get, "/tickets/a%20b"))) == "ticket a b")
        #expect(bodyText(response(await run(handler, .get, "/tickets/a%2Fb"))) == "ticket a/b")
        #expect(bodyText(response(await run(handler, .get, "/tickets/new"))) == "new form")
        #expect(bodyText(response(await run(handler, .get, "/tickets/7/messages/9"))) == "7/9")
        #expect(response(await run(handler, .get, "/tickets/"))?.status == .notFound)
    }

    @Test("A trailing wildcard takes the rest of the path")
    func wildcard() async {
        let handler = makeRouter().handler
        #expect(bodyText(response(await run(handler, .get, "/static/js/app.js"))) == "file js/app.js")
        #expect(bodyText(response(await run(handler, .get, "/static/a%2e%2e"))) == "file a..")
        #expect(response(await run(handler, .get, "/static"))?.status == .notFound)
    }

    @Test("Unknown paths get a problem+json 404")
    func notFound() async {
        let result = response(await run(makeRouter().handler, .get, "/nope"))
        #expect(result?.status == .notFound)
        #expect(result?.headers["Content-Type"] == "application/problem+json")
    }

    @Test("Known paths with other methods get 405 with Allow (RFC 9110 section 15.5.6)")
    func methodNotAllowed() async {
        let handler = makeRouter().handler
        let result = response(await run(handler, .delete, "/tickets/3"))
        #expect(result?.status == .methodNotAllowed)
        #expect(result?.headers["Allow"] == "GET, HEAD, PATCH")
        #expect(response(await run(handler, .put, "/hello"))?.headers["Allow"] == "GET, HEAD, POST")
    }

    @Test("A static path owns its name: another method there is 405, not a parameter route's lookup of that name")
    func staticPathWinsOverParameter() async {
        let router = Router()
        router.get("/tickets/:id") { request in .text("ticket \(request.parameters["id"] ?? "")") }
        router.delete("/tickets/:id") { _ in .text("deleted") }
        router.post("/tickets/bulk") { _ in .text("bulk") }
        let handler = router.handler
        let refused = response(await run(handler, .delete, "/tickets/bulk"))
        #expect(refused?.status == .methodNotAllowed)
        #expect(refused?.headers["Allow"] == "POST")
        #expect(bodyText(response(await run(handler, .post, "/tickets/bulk"))) == "bulk")
        #expect(bodyText(response(await run(handler, .delete, "/tickets/7"))) == "deleted")
    }

    @Test("HEAD falls back to the GET route")
    func headFallback() async {
        #expect(bodyText(response(await run(makeRouter().handler, .head, "/tickets/5"))) == "ticket 5")
    }

    @Test("Middleware runs outermost first, unwinding in reverse")
    func middlewareOrder() async {
        let router = makeRouter()
        let log = SharedLog()
        router.use(Recorder(name: "a", log: log))
        router.use(Recorder(name: "b", log: log))
        _ = await run(router.handler, .get, "/hello")
        #expect(log.lines.withLock { $0 } == ["in a", "in b", "out b", "out a"])
    }

    @Test("Async handlers complete from a Task; thrown errors arrive as failures")
    func asyncAndErrors() async {
        let router = Router()
        router.get("/async", async: { _ in .text("later") })
        router.get("/throws") { _ in throw ProblemError.conflict("stale version", field: "version") }
        router.post("/async-throws", async: { _ in throw ProblemError.notFound() })
        let handler = router.handler
        #expect(bodyText(response(await run(handler, .get, "/async"))) == "later")
        let failure = await run(handler, .get, "/throws")
        #expect(throws: ProblemError.conflict("stale version", field: "version")) { try failure.get() }
        let asyncFailure = await run(handler, .post, "/async-throws")
        #expect(throws: ProblemError.notFound()) { try asyncFailure.get() }
    }

    @Test("RoutePattern matches on its own")
    func routePattern() {
        let pattern = RoutePattern("/tickets/:id/messages")
        #expect(pattern.match("/tickets/12/messages") == ["id": "12"])
        #expect(pattern.match("/tickets/12") == nil)
        #expect(pattern.match("/tickets//messages") == nil)
        #expect(RoutePattern("/static/*path").match("/static/") == ["path": ""])
        #expect(RoutePattern("/").match("/") == [:])
        #expect(RoutePattern("/tickets/:id").match("/tickets/%zz") == nil)
    }
}
