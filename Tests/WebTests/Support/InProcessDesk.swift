import Foundation
import Glibc
import Realtime
import Tickets
@testable import Web

/// The whole help desk in the test's own process: services over a temporary data folder on
/// a manual clock, the app with its relay and live endpoint, and a real server on a loopback
/// port. REST requests go straight through the router (no socket, like Hummingbird's router
/// tests); live clients connect over loopback. A test of a route, a permission or a live
/// event runs in well under a second.
final class InProcessDesk: @unchecked Sendable {
    let folder: URL
    /// A fresh PostgreSQL database when `HELPDESK_TEST_DATABASE` names a server (dropped by
    /// `close`); nil: SQLite in `folder`.
    let database: Database.Location?
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let services: Services
    let app: HelpdeskApp
    let server: Server
    let port: Int
    private let handler: HTTPHandler

    /// `configure` adjusts the server (one loop by default, so every socket shares it); `bus`
    /// links this desk's presence to other desks as nodes of one desk (nil: alone).
    init(bus: (any NodeBus)? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)")
        self.folder = folder
        let now = clock.clock
        (database, services) = try await Self.offThePool {
            let database = try Self.freshDatabase()
            return (database, try Services(dataDirectory: folder.path, database: database, now: now))
        }
        app = HelpdeskApp(services: services, staticDirectory: nil)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.loopCount = 1
        configuration.shutdownGraceSeconds = 0.5
        configure(&configuration)
        server = Server(configuration: configuration, handler: app.handler)
        handler = app.handler
        app.attach(to: server, bus: bus)
        port = try server.start()
        try await app.start()
    }

    /// Stops the relay and the server and deletes the data folder.
    func close() async {
        await app.stop()
        server.shutdown()
        if case .postgres(let url) = database, let server = try? Self.testServer() {
            try? await Self.offThePool { try server.dropDatabase(named: url.databaseName) }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    /// Runs blocking setup (creating, migrating or dropping a PostgreSQL database, which waits
    /// for the other tests' CREATE DATABASE) on a dispatch thread: the few threads of Swift's
    /// task pool must stay free for the servers the tests run side by side in this process.
    private static func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    private static func testServer() throws -> PostgresURL? {
        guard let value = ProcessInfo.processInfo.environment["HELPDESK_TEST_DATABASE"], !value.isEmpty else { return nil }
        return try PostgresURL(value)
    }

    private static func freshDatabase() throws -> Database.Location? {
        guard let server = try testServer() else { return nil }
        let name = "hd_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try server.createDatabase(named: name)
        return .postgres(try server.replacingDatabase(with: name))
    }

    /// Creates an agent with `role` and signs them in.
    func agent(_ name: String, role: RoleID = .administrator) async throws -> Session {
        let email = "\(name.lowercased())@example.test"
        _ = try await services.accounts.createAgent(name: name, email: email, password: Self.password, role: role, by: .system)
        return try await signIn(email)
    }

    static let password = "correct horse battery staple"

    /// Signs in through `POST /api/session`.
    func signIn(_ email: String, password: String = InProcessDesk.password) async throws -> Session {
        let response = try await request(.post, "/api/session", json: ["email": email, "password": password])
        guard response.status == 200, let cookie = response.headers["Set-Cookie"]?.split(separator: ";").first,
              let csrf = response.json?["csrfToken"] as? String, let agent = response.json?["agent"] as? [String: Any],
              let id = agent["id"] as? Int else {
            throw TestFailure("sign-in failed: \(response.status) \(response.text)")
        }
        return Session(cookie: String(cookie), csrf: csrf, agentID: Int64(id))
    }

    /// One request through the app's router; `session` adds the cookie and CSRF header.
    func request(_ method: HTTPMethod, _ target: String, json: Any? = nil, session: Session? = nil,
                 headers extra: [(String, String)] = []) async throws -> Response {
        var fields: [(String, String)] = [("Host", "127.0.0.1:\(port)")] + extra
        var body: [UInt8] = []
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            fields += [("Content-Type", "application/json"), ("Content-Length", String(body.count))]
        }
        if let session { fields += [("Cookie", session.cookie), ("X-CSRF-Token", session.csrf)] }
        let request = HTTPRequest(head: HTTPRequestHead(method: method, target: target, version: .http1_1, headers: HTTPHeaders(fields)),
                                  body: body, remoteAddress: "127.0.0.1")
        let handler = self.handler
        let result: Result<HTTPResponse, any Error> = await withCheckedContinuation { continuation in
            handler(request) { continuation.resume(returning: $0) }
        }
        let response = try result.get()
        let bytes: [UInt8] = if case .bytes(let bytes) = response.body { bytes } else { [] }
        return Response(status: response.status.code, headers: response.headers, body: bytes)
    }

    struct Session: Sendable {
        let cookie: String
        let csrf: String
        let agentID: Int64
    }

    struct Response {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A WebSocket client over a blocking loopback socket (the receive timeout is the test's
/// watchdog). Frames are masked as RFC 6455 requires of clients. Tests call the `async`
/// forms, which block a dispatch thread instead of one of the few threads of Swift's task
/// pool (the server under test needs those).
final class LiveClient: @unchecked Sendable {
    private static let io = DispatchQueue(label: "live-client-io", attributes: .concurrent)

    /// Opens a client (see `init`) without blocking the task pool.
    static func open(port: Int, session: InProcessDesk.Session, receiveBuffer: Int32? = nil, timeoutSeconds: Int = 5) async throws
        -> LiveClient
    {
        try await withCheckedThrowingContinuation { continuation in
            io.async {
                continuation.resume(with: Result {
                    try LiveClient(port: port, session: session, receiveBuffer: receiveBuffer, timeoutSeconds: timeoutSeconds)
                })
            }
        }
    }

    /// `next(where:)` without blocking the task pool.
    func receive(where match: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }) async -> [String: Any]? {
        let box: Box = await withCheckedContinuation { continuation in
            Self.io.async { continuation.resume(returning: Box(self.next(where: match))) }
        }
        return box.value
    }

    private final class Box: @unchecked Sendable {
        let value: [String: Any]?
        init(_ value: [String: Any]?) { self.value = value }
    }

    let fd: Int32
    private var buffer: [UInt8] = []
    /// How long the upgrade's answer may take.
    static let handshakeSeconds = 30

    /// Opens `/api/live` with `session`'s cookie; `receiveBuffer` shrinks the socket's
    /// receive buffer (a client that will stop reading).
    init(port: Int, session: InProcessDesk.Session, receiveBuffer: Int32? = nil, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        // The upgrade's answer may wait for a busy test process (the whole suite shares two
        // cores, on PostgreSQL with its server): the handshake gets `handshakeSeconds`, the
        // messages after it `timeoutSeconds`.
        var timeout = timeval(tv_sec: max(timeoutSeconds, Self.handshakeSeconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect failed: errno \(errno)") }
        try write(Array(("GET /api/live HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: \(session.cookie)\r\n\r\n").utf8))
        while buffer.firstRange(of: Array("\r\n\r\n".utf8)) == nil {
            guard fill() else { throw TestFailure("no upgrade answer") }
        }
        let end = buffer.firstRange(of: Array("\r\n\r\n".utf8))!.upperBound
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end)
        guard head.hasPrefix("HTTP/1.1 101") else { throw TestFailure("upgrade refused: \(head)") }
        timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends one masked text frame. Throws when the server has closed the connection.
    func send(_ object: [String: Any]) throws {
        let payload = Array(try JSONSerialization.data(withJSONObject: object))
        var frame: [UInt8] = [0x81]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)]
        }
        let mask: [UInt8] = [1, 2, 3, 4]
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        try write(frame)
    }

    /// Sends a masked WebSocket ping frame (RFC 6455 section 5.5.2) with no payload.
    func sendPing() throws {
        try write([0x89, 0x80, 1, 2, 3, 4])
    }

    /// The next text message as JSON; a close frame as `["close": code]`; nil on EOF or timeout.
    func next() -> [String: Any]? {
        guard let head = read(2) else { return nil }
        var length = Int(head[1] & 0x7f)
        if length == 126 { guard let ext = read(2) else { return nil }; length = Int(ext[0]) << 8 | Int(ext[1]) }
        if length == 127 { guard let ext = read(8) else { return nil }; length = ext.reduce(0) { $0 << 8 | Int($1) } }
        guard let payload = read(length) else { return nil }
        if head[0] & 0x0f == 0x8 { return ["close": payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005] }
        return (try? JSONSerialization.jsonObject(with: Data(payload))) as? [String: Any]
    }

    /// Reads messages until one satisfies `match` (or the close frame, or nothing more).
    func next(where match: ([String: Any]) -> Bool) -> [String: Any]? {
        while let message = next() {
            if match(message) || message["close"] != nil { return message }
        }
        return nil
    }

    private func write(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw TestFailure("send failed: errno \(errno)") }
            sent += n
        }
    }

    private func read(_ count: Int) -> [UInt8]? {
        while buffer.count < count { guard fill() else { return nil } }
        let out = Array(buffer.prefix(count))
        buffer.removeFirst(count)
        return out
    }

    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &chunk, chunk.count, 0)
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }
}
