import Foundation
import Synchronization
import Testing
@testable import Realtime

struct SecretError: Error {}

@Suite("ProblemDetails")
struct ProblemDetailsTests {
    func object(_ response: HTTPResponse?) -> [String: Any]? {
        guard case .bytes(let bytes)? = response?.body else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    }

    @Test("HTTPErrors become problem+json with status, title, detail and field")
    func httpErrorMapping() async {
        let router = Router()
        router.use(ErrorMiddleware(log: { _ in }))
        router.post("/tickets") { _ in throw ProblemError.unprocessable("subject is required", field: "subject") }
        let result = response(await run(router.handler, .post, "/tickets"))
        #expect(result?.status == .unprocessableContent)
        #expect(result?.headers["Content-Type"] == "application/problem+json")
        let json = object(result)
        #expect(json?["type"] as? String == "about:blank")
        #expect(json?["title"] as? String == "Unprocessable Content")
        #expect(json?["status"] as? Int == 422)
        #expect(json?["detail"] as? String == "subject is required")
        #expect(json?["field"] as? String == "subject")
    }

    @Test("Other errors become a generic 500 and are only logged")
    func unexpectedErrors() async {
        let logged = SharedLog()
        let router = Router()
        router.use(ErrorMiddleware(log: logged.append))
        router.get("/boom") { _ in throw SecretError() }
        let result = response(await run(router.handler, .get, "/boom?token=x"))
        #expect(result?.status == .internalServerError)
        #expect(bodyText(result)?.contains("SecretError") == false)
        #expect(object(result)?["detail"] as? String == ErrorMiddleware.genericDetail)
        #expect(logged.all.count == 1)
        #expect(logged.all.first?.contains("SecretError") == true)
        #expect(logged.all.first?.contains("token") == false)
    }

    @Test("Details are JSON-escaped")
    func escaping() {
        let detail = "quote \" backslash \\ newline \n tab \t bell \u{7} unicode é 🎫"
        let json = object(ProblemDetails.response(status: .badRequest, detail: detail, field: "a\"b"))
        #expect(json?["detail"] as? String == detail)
        #expect(json?["field"] as? String == "a\"b")
        #expect(json?.keys.contains("field") == true)
        #expect(object(ProblemDetails.response(status: .badRequest, detail: "x"))?.keys.contains("field") == false)
    }

    @Test("Parse errors carry their status into problem+json")
    func parseErrors() {
        #expect(ProblemDetails.response(for: HTTPParseError.bodyTooLarge).status.code == 413)
        #expect(object(ProblemDetails.response(for: HTTPParseError.malformed("bad")))?["detail"] as? String == "bad")
    }

    @Test("The access log writes method, path without query, status, bytes and duration")
    func accessLog() async {
        let log = SharedLog()
        let router = Router()
        router.use(AccessLogMiddleware(clock: { log.clock.withLock { $0 += 0.0125; return $0 } }, write: log.append))
        router.use(ErrorMiddleware(log: { _ in }))
        router.get("/tickets/:id") { _ in .text("hello") }
        _ = await run(router.handler, .get, "/tickets/1?token=secret")
        _ = await run(router.handler, .get, "/missing")
        let notFoundBytes = bodyText(response(await run(Router().handler, .get, "/missing")))?.utf8.count ?? 0
        #expect(log.all == ["GET /tickets/1 200 5b 12.5ms", "GET /missing 404 \(notFoundBytes)b 12.5ms"])
    }
}
