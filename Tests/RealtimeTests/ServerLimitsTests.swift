import Foundation
import Synchronization
import Testing
@testable import Realtime

@Suite("Memory and connection limits (issue 11 item 3): each answered with its code")
struct ServerLimitsTests {
    @Test("An unfinished compressed message fails with 1009 once it inflates past maxInflatedMessageBytes")
    func unfinishedCompressedMessageIsBounded() {
        // 15 MiB of zeros compress to about 15 KB: the attack of issue 11.
        let bomb = PerMessageDeflate.compress([UInt8](repeating: 0, count: 15 << 20))
        #expect(bomb.count < 20_000)
        let configuration = WebSocketConfiguration(maxInflatedMessageBytes: 64 * 1024)
        var machine = WebSocketProtocol(configuration: configuration, deflate: NegotiatedDeflate())
        var actions: [WebSocketAction] = []
        // No FIN: the message never ends, yet inflation stops at the limit.
        let frame = clientFrame(.text, bomb, fin: false, rsv1: true)
        _ = frame.withUnsafeBytes { machine.receive($0, into: &actions) }
        #expect(actions == failure(.messageTooBig))
        #expect(machine.bufferedMessageBytes == 0)
    }

    @Test("Uncompressed messages keep the larger maxMessageBytes (they hold only what was sent)")
    func uncompressedMessagesKeepTheirLimit() {
        let payload = [UInt8](repeating: 0x61, count: 100 * 1024)
        let configuration = WebSocketConfiguration(maxInflatedMessageBytes: 64 * 1024)
        #expect(feed(clientFrame(.binary, payload), configuration: configuration) == [.deliverBinary(payload)])
    }

    @Test("A message in progress past the loop's share of maxHeldBytesTotal is failed with 1013, and its bytes released")
    func heldBytesTotalFailsWithTryAgainLater() async throws {
        try await withServer({ $0.loopCount = 1; $0.maxHeldBytesTotal = 1 << 20 }, router: Router(),
                             webSockets: [("/ws/echo", { _, decide in decide(.accept(TestEcho())) })]) { server in
            let client = try TestClient(port: server.port)
            #expect(client.upgrade(path: "/ws/echo")?.hasPrefix("HTTP/1.1 101") == true)
            // One unfinished 2 MiB frame: under maxMessageBytes, over the server's 1 MiB.
            let frame = clientFrame(.binary, [UInt8](repeating: 0x61, count: 2 << 20), fin: false)
            let close = await offPool { () -> (opcode: UInt8, payload: [UInt8])? in
                client.send(Array(frame.prefix((1 << 20) + 4_096)))
                return client.readFrame()
            }
            #expect(close?.opcode == 0x8)
            #expect(close?.payload.prefix(2) == [0x03, 0xF5])  // 1013
            #expect(await offPool { client.waitForClose() })
            let held = await onLoop(server.contexts[0].loop) { server.contexts[0].heldBytes }
            #expect(held == 0)
            #expect(server.metrics.value("realtime_websocket_closed_over_memory_limit_total") == 1)
        }
    }

    @Test("Outbound bytes are counted while queued and released when written or dropped")
    func outboundBytesAreReleased() async throws {
        let hub = LockingBroadcaster()
        try await withServer({ $0.loopCount = 1; $0.maxQueuedBytesPerConnection = 256 * 1024 }, router: Router(),
                             webSockets: [("/ws/sub", hub.upgrader), ("/ws/pub", hub.upgrader)]) { server in
            hub.attach(server)
            let reader = try TestClient(port: server.port)
            #expect(reader.upgrade(path: "/ws/sub")?.hasPrefix("HTTP/1.1 101") == true)
            let stalled = try TestClient(port: server.port, receiveBufferBytes: 4096)
            #expect(stalled.upgrade(path: "/ws/sub")?.hasPrefix("HTTP/1.1 101") == true)
            let publisher = try TestClient(port: server.port)
            #expect(publisher.upgrade(path: "/ws/pub")?.hasPrefix("HTTP/1.1 101") == true)
            let context = server.contexts[0]
            var (held, queued) = (0, 0)
            // Until bytes wait in the stalled subscriber's queue (the kernel's buffers are full).
            for _ in 0..<200 where queued == 0 {
                let ok = await offPool { () -> Bool in
                    publisher.sendText("30000")
                    return publisher.readFrame() != nil && reader.readFrame()?.payload.count == 30000
                }
                #expect(ok)
                // What the loop counts is exactly what the queues hold.
                (held, queued) = await onLoop(context.loop) {
                    (context.heldBytes, context.connections.values.reduce(0) { $0 + $1.outbound.byteCount })
                }
                #expect(held == queued)
            }
            #expect(queued > 0)
            stalled.reset()
            let answered = await offPool { () -> Bool in
                publisher.sendText("30000")
                return publisher.readFrame() != nil && reader.readFrame() != nil
            }
            #expect(answered)
            while await onLoop(context.loop, { context.connections.count }) > 2 { await Task.yield() }
            #expect(await onLoop(context.loop) { context.heldBytes } == 0)
        }
    }

    @Test("WebSockets past maxWebSocketsPerAddress are refused with 429; a closed one frees its place")
    func perAddressLimit() async throws {
        try await withServer({ $0.maxWebSocketsPerAddress = 2; $0.addressLimitExemptions = [] }, router: Router(),
                             webSockets: [("/ws/echo", { _, decide in decide(.accept(TestEcho())) })]) { server in
            let first = try TestClient(port: server.port)
            #expect(first.upgrade(path: "/ws/echo")?.hasPrefix("HTTP/1.1 101") == true)
            let second = try TestClient(port: server.port)
            #expect(second.upgrade(path: "/ws/echo")?.hasPrefix("HTTP/1.1 101") == true)
            let third = try TestClient(port: server.port)
            let refused = third.upgrade(path: "/ws/echo")
            #expect(refused?.hasPrefix("HTTP/1.1 429") == true)
            #expect(refused?.contains("Retry-After: 60") == true)
            #expect(server.metrics.value("realtime_connections_refused_per_address_total") == 1)
            first.reset()
            while server.webSocketsPerAddress.count("127.0.0.1") > 1 { await Task.yield() }
            let fourth = try TestClient(port: server.port)
            #expect(fourth.upgrade(path: "/ws/echo")?.hasPrefix("HTTP/1.1 101") == true)
        }
    }
}

/// Counts what a handler hears, to check that every accepted upgrade ends exactly once.
final class CountingHandler: WebSocketHandler, @unchecked Sendable {
    struct Counts: Equatable {
        var opened = 0, closed = 0, notOpened = 0
    }

    let counts = Mutex(Counts())

    func webSocketDidOpen(_ socket: WebSocket) { counts.withLock { $0.opened += 1 } }
    func webSocket(_ socket: WebSocket, didReceiveText text: String) {}
    func webSocketDidClose(_ socket: WebSocket, code: WebSocketCloseCode?, reason: String) { counts.withLock { $0.closed += 1 } }
    func webSocketDidNotOpen(userInfo: (any Sendable)?) { counts.withLock { $0.notOpened += 1 } }
}

@Suite("Accepted upgrades end exactly once: opened and closed, or not opened")
struct UpgradeOutcomeTests {
    @Test("An upgrade refused at the per-address limit after the application accepted it is reported as not opened")
    func refusedAtLimitIsNotOpened() async throws {
        let handler = CountingHandler()
        try await withServer({ $0.maxWebSocketsPerAddress = 1; $0.addressLimitExemptions = [] }, router: Router(),
                             webSockets: [("/ws", { _, decide in decide(.accept(handler)) })]) { server in
            let first = try TestClient(port: server.port)
            #expect(first.upgrade(path: "/ws")?.hasPrefix("HTTP/1.1 101") == true)
            let second = try TestClient(port: server.port)
            #expect(second.upgrade(path: "/ws")?.hasPrefix("HTTP/1.1 429") == true)
            first.reset()
            // The 429 may reach the client just before the loop reports it (same iteration).
            while handler.counts.withLock({ $0.closed == 0 || $0.notOpened == 0 }) { await Task.yield() }
            #expect(handler.counts.withLock { $0 } == CountingHandler.Counts(opened: 1, closed: 1, notOpened: 1))
        }
    }

    @Test("A client that leaves while the application decides is reported as not opened once accepted")
    func clientGoneBeforeDecisionIsNotOpened() async throws {
        let handler = CountingHandler()
        let decision = Mutex<(@Sendable (WebSocketUpgradeDecision) -> Void)?>(nil)
        try await withServer(router: Router(), webSockets: [("/ws", { _, decide in decision.withLock { $0 = decide } })]) { server in
            let client = try TestClient(port: server.port)
            client.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
            while decision.withLock({ $0 }) == nil { await Task.yield() }
            client.reset()
            while server.metrics.value("realtime_connections_open") != 0 { await Task.yield() }
            decision.withLock { $0 }?(.accept(handler))
            while handler.counts.withLock({ $0.notOpened }) == 0 { await Task.yield() }
            #expect(handler.counts.withLock { $0 } == CountingHandler.Counts(opened: 0, closed: 0, notOpened: 1))
        }
    }
}
