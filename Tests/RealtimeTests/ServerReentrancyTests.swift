import Foundation
import Synchronization
import Testing
@testable import Realtime

/// Application code shaped like the presence service that froze the server (issue 10):
/// it broadcasts while holding its own non-recursive lock, and its close callback takes
/// that same lock. A close callback run from inside the broadcast would find the lock
/// held by its own thread: a real lock deadlocks the loop there, so this one records it.
final class LockingBroadcaster: WebSocketHandler, @unchecked Sendable {
    struct Record {
        var closed: [UInt64] = []
        /// Close callbacks that ran while the broadcaster held its lock (inside a broadcast).
        var reentered = 0
        var subscribers: [WebSocket] = []
    }

    let lock = NSLock()
    let record = Mutex(Record())
    private let server = Mutex<Server?>(nil)

    func attach(_ server: Server) { self.server.withLock { $0 = server } }

    func webSocketDidOpen(_ socket: WebSocket) {
        guard socket.path == "/ws/sub" else { return }
        socket.join("r")
        record.withLock { $0.subscribers.append(socket) }
    }

    /// The text is a size: broadcast that many bytes to room `r` under the lock, then say "ok".
    func webSocket(_ socket: WebSocket, didReceiveText text: String) {
        let rooms = server.withLock { $0!.rooms! }
        lock.lock()
        rooms.broadcast(.text(String(repeating: "x", count: Int(text) ?? 0)), to: "r")
        lock.unlock()
        socket.send(text: "ok")
    }

    func webSocketDidClose(_ socket: WebSocket, code: WebSocketCloseCode?, reason: String) {
        // Only the loop thread takes the lock, so a failed try means this thread holds it.
        guard lock.try() else {
            record.withLock { $0.reentered += 1 }
            return
        }
        record.withLock { $0.closed.append(socket.id) }
        lock.unlock()
    }

    /// The upgrader accepting every socket with this handler.
    var upgrader: WebSocketUpgrader { { [self] _, decide in decide(.accept(self)) } }
}

@Suite("Server: close callbacks never run inside enqueue, flush or broadcast")
struct ServerReentrancyTests {
    @Test("A subscriber dropped as too slow during a broadcast is reported after the broadcast, not inside it")
    func slowConsumerCloseIsDeferred() async throws {
        let hub = LockingBroadcaster()
        try await withServer({ $0.loopCount = 1; $0.maxQueuedBytesPerConnection = 256 * 1024 }, router: Router(),
                             webSockets: [("/ws/sub", hub.upgrader), ("/ws/pub", hub.upgrader)]) { server in
            hub.attach(server)
            let subscriber = try TestClient(port: server.port, timeoutSeconds: 20, receiveBufferBytes: 4096)
            #expect(subscriber.upgrade(path: "/ws/sub")?.hasPrefix("HTTP/1.1 101") == true)
            let publisher = try TestClient(port: server.port, timeoutSeconds: 20)
            #expect(publisher.upgrade(path: "/ws/pub")?.hasPrefix("HTTP/1.1 101") == true)
            // The subscriber never reads: each locked broadcast grows its queue until one
            // pushes it over the limit and it is closed from inside that broadcast.
            let answered = await offPool { () -> Bool in
                for _ in 0..<1_000 {
                    publisher.sendText("60000")
                    guard publisher.readFrame()?.payload == Array("ok".utf8) else { return false }
                    let done = hub.record.withLock { !$0.closed.isEmpty || $0.reentered > 0 }
                    if done { break }
                }
                // One more round trip: the loop finished the iteration of the close.
                publisher.sendText("0")
                return publisher.readFrame()?.payload == Array("ok".utf8)
            }
            #expect(answered)
            let record = hub.record.withLock { $0 }
            #expect(record.reentered == 0)
            #expect(record.closed == record.subscribers.map(\.id))
            #expect(server.metrics.value("realtime_slow_consumers_dropped_total") == 1)
        }
    }

    @Test("A peer reset discovered by the write inside a broadcast is reported after the broadcast")
    func peerResetDuringBroadcastIsDeferred() async throws {
        let hub = LockingBroadcaster()
        try await withServer({ $0.loopCount = 1; $0.maxQueuedBytesPerConnection = 1 << 20 }, router: Router(),
                             webSockets: [("/ws/sub", hub.upgrader), ("/ws/pub", hub.upgrader)]) { server in
            hub.attach(server)
            let subscriber = try TestClient(port: server.port, timeoutSeconds: 20, receiveBufferBytes: 4096)
            #expect(subscriber.upgrade(path: "/ws/sub")?.hasPrefix("HTTP/1.1 101") == true)
            let publisher = try TestClient(port: server.port, timeoutSeconds: 20)
            #expect(publisher.upgrade(path: "/ws/pub")?.hasPrefix("HTTP/1.1 101") == true)
            let socket = try #require(hub.record.withLock { $0.subscribers.first })
            // Fill the kernel's buffers until bytes wait in the subscriber's own queue (under the limit).
            var queued = 0
            for _ in 0..<200 where queued == 0 {
                let ok = await offPool { publisher.sendText("100000"); return publisher.readFrame() != nil }
                #expect(ok)
                queued = await onLoop(socket.loop) { socket.connection.outbound.byteCount }
            }
            #expect(queued > 0)
            // Hold the loop while the publisher asks for a broadcast past the limit and only then
            // the subscriber resets: the loop reads the request first, and the broadcast's
            // write (made to make room) meets the reset.
            let answered = await offPool { () -> Bool in
                let held = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
                socket.loop.execute { held.signal(); release.wait() }
                held.wait()
                publisher.sendText(String(1 << 20))
                subscriber.reset()
                release.signal()
                guard publisher.readFrame()?.payload == Array("ok".utf8) else { return false }
                publisher.sendText("0")
                return publisher.readFrame()?.payload == Array("ok".utf8)
            }
            #expect(answered)
            let record = hub.record.withLock { $0 }
            #expect(record.reentered == 0)
            #expect(record.closed == [socket.id])
            #expect(server.metrics.value("realtime_slow_consumers_dropped_total") == 0)
        }
    }
}

/// Runs `body` on `loop` and returns its result.
func onLoop<T: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in loop.execute { continuation.resume(returning: body()) } }
}

extension ServerMetrics {
    /// The value of one named metric in the snapshot (nil when absent).
    func value(_ name: String) -> Int? { snapshot.first { $0.name == name }?.value }
}
