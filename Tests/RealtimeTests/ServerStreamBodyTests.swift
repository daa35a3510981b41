import Foundation
import Synchronization
import Testing
@testable import Realtime

/// A body produced off the loop: the producer answers `[]` while it has nothing and wakes the
/// loop when it has; a failed producer's connection is cut without the final chunk.
@Suite("Streamed bodies: a producer off the loop wakes it")
struct ServerStreamBodyTests {
    final class Producer: HTTPBodyStream {
        struct State {
            var pieces: [[UInt8]] = []
            var finished = false
            var failed = false
            var wake: (@Sendable () -> Void)?
            var cancelled = false
        }
        let state = Mutex(State())

        func next() -> [UInt8]? {
            state.withLock { s in
                if !s.pieces.isEmpty { return s.pieces.removeFirst() }
                return s.finished ? nil : []
            }
        }
        func attach(wake: @escaping @Sendable () -> Void) { state.withLock { $0.wake = wake } }
        func cancel() { state.withLock { $0.cancelled = true } }
        var failed: Bool { state.withLock { $0.failed } }

        /// Adds `text` (nil: ends the body, `failed` or not) and wakes the loop, from any thread.
        func push(_ text: String?, failed: Bool = false) {
            let wake = state.withLock { s in
                if let text { s.pieces.append(Array(text.utf8)) } else { (s.finished, s.failed) = (true, failed) }
                return s.wake
            }
            wake?()
        }
    }

    /// Reads until the buffered bytes contain `marker`; the bytes read, nil on EOF or timeout.
    static func read(_ client: TestClient, until marker: String) -> String? {
        var seen: [UInt8] = []
        while !String(decoding: seen, as: UTF8.self).contains(marker) {
            guard let byte = client.read(count: 1) else { return nil }
            seen += byte
        }
        return String(decoding: seen, as: UTF8.self)
    }

    @Test("pieces pushed after the loop found nothing arrive as chunks, then the last chunk")
    func wakes() async throws {
        let producer = Producer()
        let router = Router()
        router.add(.get, "/stream") { _, completion in completion(.success(HTTPResponse(status: .ok, body: .stream(producer)))) }
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            let (head, first, rest) = await offPool { () -> (String?, String?, String?) in
                client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
                let head = client.readResponseHead()
                producer.push("hello ")
                let first = Self.read(client, until: "hello ")
                producer.push("world")
                producer.push(nil)
                return (head, first, Self.read(client, until: "0\r\n\r\n"))
            }
            #expect(head?.contains("Transfer-Encoding: chunked") == true)
            #expect(first == "6\r\nhello ")
            #expect(rest == "\r\n5\r\nworld\r\n0\r\n\r\n")
            #expect(!producer.state.withLock { $0.cancelled })
        }
    }

    @Test("a producer that fails part way gets its connection closed without the final chunk")
    func failed() async throws {
        let producer = Producer()
        let router = Router()
        router.add(.get, "/stream") { _, completion in completion(.success(HTTPResponse(status: .ok, body: .stream(producer)))) }
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            let (partial, closed) = await offPool { () -> (String?, Bool) in
                client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = client.readResponseHead()
                producer.push("partial")
                let partial = Self.read(client, until: "partial")
                producer.push(nil, failed: true)
                return (partial, client.waitForClose())
            }
            #expect(partial == "7\r\npartial")
            #expect(closed)
        }
    }
}
