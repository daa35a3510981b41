import Foundation
import Glibc
@testable import Realtime

/// A blocking loopback client socket with a receive timeout as the test's watchdog.
final class TestClient: @unchecked Sendable {
    private(set) var fd: Int32
    private var buffer: [UInt8] = []

    /// `receiveBufferBytes` shrinks the kernel's receive buffer (a client that stalls sooner).
    init(port: Int, timeoutSeconds: Int = 10, receiveBufferBytes: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var bytes = receiveBufferBytes {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw SystemError(call: "connect", errno: errno) }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Closes with SO_LINGER 0, so the server sees a reset (RST) instead of an orderly FIN.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
        fd = -1
    }

    /// Sends one masked client text frame.
    func sendText(_ text: String) { send(clientFrame(.text, Array(text.utf8))) }

    /// Reads one unfragmented server frame (opcode and payload); nil on EOF or timeout.
    func readFrame() -> (opcode: UInt8, payload: [UInt8])? {
        guard let header = read(count: 2) else { return nil }
        var length = Int(header[1] & 0x7F)
        if length == 126 {
            guard let extended = read(count: 2) else { return nil }
            length = Int(extended[0]) << 8 | Int(extended[1])
        } else if length == 127 {
            guard let extended = read(count: 8) else { return nil }
            length = extended.reduce(0) { $0 << 8 | Int($1) }
        }
        guard let payload = read(count: length) else { return nil }
        return (header[0] & 0x0F, payload)
    }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until `count` bytes are buffered; nil on EOF or timeout.
    func read(count: Int) -> [UInt8]? {
        while buffer.count < count {
            guard fill() else { return nil }
        }
        let out = Array(buffer.prefix(count))
        buffer.removeFirst(count)
        return out
    }

    /// Reads one HTTP response (head and Content-Length body); nil on EOF or timeout.
    func readResponse() -> (head: String, body: String)? {
        while true {
            if let end = buffer.firstRange(of: Array("\r\n\r\n".utf8)) {
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n")
                    .first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                let total = end.upperBound + length
                while buffer.count < total { guard fill() else { return nil } }
                let body = String(decoding: buffer[end.upperBound..<total], as: UTF8.self)
                buffer.removeFirst(total)
                return (head, body)
            }
            guard fill() else { return nil }
        }
    }

    /// True once the peer has closed (EOF or reset) within the timeout.
    func waitForClose() -> Bool {
        while true {
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    /// Sends a WebSocket upgrade for `path` and consumes the 101 response head.
    func upgrade(path: String) -> String? {
        send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        return readResponse()?.head
    }
}

/// Starts a server on a free port for one test and shuts it down afterwards.
func withServer(_ configure: (inout ServerConfiguration) -> Void = { _ in }, router: Router,
                webSockets: [(String, WebSocketUpgrader)] = [], prepare: (Server) -> Void = { _ in },
                _ body: (Server) async throws -> Void) async throws {
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.loopCount = 2
    configuration.shutdownGraceSeconds = 2
    configure(&configuration)
    let server = Server(configuration: configuration, handler: router.handler)
    server.log = { _ in }
    for (pattern, upgrader) in webSockets { server.webSocket(pattern, upgrader) }
    prepare(server)
    try server.start()
    do {
        try await body(server)
    } catch {
        await offPool { server.shutdown() }
        throw error
    }
    await offPool { server.shutdown() }
}

/// Runs blocking work (socket reads, a shutdown that waits) on its own thread, so it never
/// occupies one of the few cooperative threads that async handlers under test need.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}

/// Holds a handler's completion until the test releases it (waiting for it to arrive).
final class HeldCompletion: @unchecked Sendable {
    private let condition = NSCondition()
    private var completion: HTTPCompletion?

    func hold(_ completion: @escaping HTTPCompletion) {
        condition.lock()
        self.completion = completion
        condition.signal()
        condition.unlock()
    }

    /// Waits (up to 10 s) for the held completion and calls it with `response`.
    func release(with response: HTTPResponse) {
        condition.lock()
        let deadline = Date().addingTimeInterval(10)
        while completion == nil, condition.wait(until: deadline) {}
        let held = completion
        condition.unlock()
        held?(.success(response))
    }
}
