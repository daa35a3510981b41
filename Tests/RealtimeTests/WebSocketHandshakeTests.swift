import Testing
@testable import Realtime

@Suite("Opening handshake (RFC 6455 section 4.2)")
struct WebSocketHandshakeTests {
    func request(_ extra: [(String, String)] = [], method: HTTPMethod = .get, dropping: String? = nil) -> HTTPRequestHead {
        var fields: [(String, String)] = [
            ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "keep-alive, Upgrade"),
            ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13"),
        ]
        fields.removeAll { $0.0 == dropping }
        return HTTPRequestHead(method: method, target: "/chat", version: .http1_1, headers: HTTPHeaders(fields + extra))
    }

    func status(_ outcome: WebSocketHandshake.Outcome) -> Int {
        switch outcome {
        case .accept(let response, _, _): response.status.code
        case .reject(let response): response.status.code
        }
    }

    @Test("The RFC 6455 section 1.3 key yields s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    func acceptKey() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("A valid request gets 101 with Upgrade, Connection, Accept, subprotocol and extensions")
    func accepted() {
        let head = request([("Sec-WebSocket-Protocol", "chat, superchat"), ("Sec-WebSocket-Extensions", "permessage-deflate")])
        guard case .accept(let response, let deflate, let subprotocol) = WebSocketHandshake.evaluate(head, policy: .init(subprotocols: ["superchat"])) else {
            Issue.record("rejected"); return
        }
        #expect(response.status == .switchingProtocols)
        #expect(response.headers["Sec-WebSocket-Accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(response.headers["Upgrade"] == "websocket")
        #expect(response.headers["Connection"] == "Upgrade")
        #expect(subprotocol == "superchat")
        #expect(response.headers["Sec-WebSocket-Protocol"] == "superchat")
        #expect(deflate != nil)
        #expect(response.headers["Sec-WebSocket-Extensions"] == "permessage-deflate; server_no_context_takeover")
    }

    @Test("Malformed requests get 400, a wrong version 426 with Sec-WebSocket-Version: 13")
    func refusals() {
        #expect(status(WebSocketHandshake.evaluate(request(method: .post))) == 400)
        #expect(status(WebSocketHandshake.evaluate(request(dropping: "Host"))) == 400)
        #expect(status(WebSocketHandshake.evaluate(request(dropping: "Upgrade"))) == 400)
        #expect(status(WebSocketHandshake.evaluate(request(dropping: "Connection"))) == 400)
        #expect(status(WebSocketHandshake.evaluate(request(dropping: "Sec-WebSocket-Key"))) == 400)
        #expect(status(WebSocketHandshake.evaluate(request([("Sec-WebSocket-Key", "c2hvcnQ=")], dropping: "Sec-WebSocket-Key"))) == 400)
        let wrongVersion = WebSocketHandshake.evaluate(request([("Sec-WebSocket-Version", "8")], dropping: "Sec-WebSocket-Version"))
        guard case .reject(let response) = wrongVersion else { Issue.record("accepted"); return }
        #expect(response.status == .upgradeRequired)
        #expect(response.headers["Sec-WebSocket-Version"] == "13")
    }

    @Test("The origin hook can refuse browsers with 403 and sees nil for non-browser clients")
    func origin() {
        let policy = WebSocketHandshake.Policy(isOriginAllowed: { $0 == nil || $0 == "https://desk.example" })
        #expect(status(WebSocketHandshake.evaluate(request([("Origin", "https://evil.example")]), policy: policy)) == 403)
        #expect(status(WebSocketHandshake.evaluate(request([("Origin", "https://desk.example")]), policy: policy)) == 101)
        #expect(status(WebSocketHandshake.evaluate(request(), policy: policy)) == 101)
    }
}
