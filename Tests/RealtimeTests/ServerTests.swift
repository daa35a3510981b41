import Foundation
import Testing
@testable import Realtime

/// Echoes text back; used by the server tests' WebSocket routes.
final class TestEcho: WebSocketHandler {
    func webSocket(_ socket: WebSocket, didReceiveText text: String) { socket.send(text: text) }
}

/// Joins the room named by the path and does nothing else (a silent subscriber).
final class TestRoomMember: WebSocketHandler {
    func webSocketDidOpen(_ socket: WebSocket) { socket.join(socket.parameters["id"] ?? "") }
    func webSocket(_ socket: WebSocket, didReceiveText text: String) {}
}

@Suite("Server: the epoll connection shell over real loopback sockets")
struct ServerTests {
    @Test("Pipelined responses leave in request order even when the first handler finishes last")
    func pipelinedResponsesKeepOrder() async throws {
        let held = HeldCompletion()
        let router = Router()
        // A raw handler completes later from another thread, like any off-loop work.
        router.add(.get, "/slow") { _, completion in held.hold(completion) }
        router.get("/fast") { _ in .text("fast") }
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
            let bodies = await offPool { () -> [String?] in
                held.release(with: .text("slow"))
                return [client.readResponse()?.body, client.readResponse()?.body]
            }
            #expect(bodies == ["slow", "fast"])
        }
    }

    @Test("A malformed request gets 400 and the connection is closed after the answer")
    func malformedRequestIsAnsweredThenClosed() async throws {
        let router = Router()
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            client.send("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
            let response = client.readResponse()
            #expect(response?.head.hasPrefix("HTTP/1.1 400") == true)
            #expect(response?.head.contains("Connection: close") == true)
            #expect(client.waitForClose())
        }
    }

    @Test("Expect: 100-continue gets an interim 100 before the body is sent")
    func expectContinue() async throws {
        let router = Router()
        router.post("/echo") { request in .text(String(decoding: request.body, as: UTF8.self)) }
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            #expect(client.read(count: 25).map { String(decoding: $0, as: UTF8.self) } == "HTTP/1.1 100 Continue\r\n\r\n")
            client.send("hello")
            #expect(client.readResponse()?.body == "hello")
        }
    }

    @Test("A WebSocket client that stops reading is disconnected once its queue passes the limit")
    func slowConsumerIsDropped() async throws {
        let router = Router()
        let member = TestRoomMember()
        try await withServer({ $0.maxQueuedBytesPerConnection = 256 * 1024 }, router: router,
                             webSockets: [("/ws/room/:id", { _, decide in decide(.accept(member)) })]) { server in
            let client = try TestClient(port: server.port, timeoutSeconds: 20)
            #expect(client.upgrade(path: "/ws/room/slow")?.hasPrefix("HTTP/1.1 101") == true)
            while await server.rooms.memberCount("slow") == 0 { await Task.yield() }
            // Far more than the kernel's loopback buffers plus our queue limit can hold.
            let chunk = String(repeating: "x", count: 60_000)
            for _ in 0..<2_000 where server.rooms.deliveryCounts.dropped == 0 {
                server.rooms.broadcast(.text(chunk), to: "slow")
                await Task.yield()
            }
            while await server.rooms.memberCount("slow") != 0 { await Task.yield() }
            #expect(server.metrics.snapshot.contains { $0.name == "realtime_slow_consumers_dropped_total" && $0.value == 1 })
        }
    }

    @Test("Graceful shutdown closes WebSockets with 1001 Going Away")
    func shutdownClosesWebSocketsWithGoingAway() async throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.loopCount = 1
        configuration.shutdownGraceSeconds = 2
        let server = Server(configuration: configuration, handler: Router().handler)
        server.log = { _ in }
        let echo = TestEcho()
        server.webSocket("/ws/echo") { _, decide in decide(.accept(echo)) }
        try server.start()
        let client = try TestClient(port: server.port)
        #expect(client.upgrade(path: "/ws/echo")?.hasPrefix("HTTP/1.1 101") == true)
        let stopping = Thread { server.shutdown() }
        stopping.start()
        // Close frame: FIN+close opcode, length, then the 2-byte code 1001 (0x03E9).
        let header = client.read(count: 2)
        #expect(header?.first == 0x88)
        let payload = client.read(count: Int(header?.last ?? 0))
        #expect(payload?.prefix(2) == [0x03, 0xE9])
    }
}
