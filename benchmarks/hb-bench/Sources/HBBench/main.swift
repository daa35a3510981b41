// Copied from the team's shared load harness (shared/bench/hummingbird/); the folder is named hb-bench
// because SwiftPM names a root package after its folder, and `hummingbird` would clash with the dependency.
// Hummingbird 2 baseline server for the realtime bench harness.
//   GET /hello            -> small JSON body (keep-alive)
//   WS  /ws/room/{id}     -> every text message is broadcast to all sockets in that room (sender included)
//   WS  /ws/echo          -> echo (text->text, binary->binary); used for Autobahn-style conformance runs
// Usage: HBBench [port] [host]
//   HB_NIO_EXECUTOR=1  -> install NIO's event loop as Swift Concurrency's global executor (no thread hops)
import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOPosix
import Logging
import Synchronization

final class Rooms: Sendable {
    struct Member: Sendable { let id: Int; let out: WebSocketOutboundWriter }
    private let state = Mutex<(next: Int, rooms: [String: [Int: WebSocketOutboundWriter]])>((0, [:]))

    func join(_ room: String, _ out: WebSocketOutboundWriter) -> Int {
        state.withLock { s in
            s.next += 1
            s.rooms[room, default: [:]][s.next] = out
            return s.next
        }
    }
    func leave(_ room: String, _ id: Int) {
        state.withLock { s in
            s.rooms[room]?[id] = nil
            if s.rooms[room]?.isEmpty == true { s.rooms[room] = nil }
        }
    }
    func members(_ room: String) -> [WebSocketOutboundWriter] {
        state.withLock { s in s.rooms[room].map { Array($0.values) } ?? [] }
    }
}

if ProcessInfo.processInfo.environment["HB_NIO_EXECUTOR"] == "1" {
    let ok = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    print("NIO event loop as global executor: \(ok)")
}
let args = CommandLine.arguments
let port = args.count > 1 ? Int(args[1]) ?? 8080 : 8080
let host = args.count > 2 ? args[2] : "127.0.0.1"
let rooms = Rooms()

let helloBody = ByteBuffer(string: #"{"message":"Hello, World!"}"#)
let router = Router()
router.get("/hello") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: helloBody))
}

let wsRouter = Router(context: BasicWebSocketRequestContext.self)
wsRouter.ws("/ws/room/:id") { inbound, outbound, context in
    let room = context.requestContext.parameters.get("id") ?? "default"
    let me = rooms.join(room, outbound)
    defer { rooms.leave(room, me) }
    for try await message in inbound.messages(maxSize: 1 << 20) {
        guard case .text(let text) = message else { continue }
        // Encode once, write the same frame payload to every member.
        let payload = ByteBuffer(string: text)
        for peer in rooms.members(room) {
            try? await peer.write(.custom(.init(fin: true, opcode: .text, data: payload)))
        }
    }
}
wsRouter.ws("/ws/echo") { inbound, outbound, _ in
    for try await message in inbound.messages(maxSize: 1 << 24) {
        switch message {
        case .text(let t): try await outbound.write(.text(t))
        case .binary(let b): try await outbound.write(.binary(b))
        }
    }
}

var logger = Logger(label: "hb-bench")
logger.logLevel = .warning
let app = Application(
    router: router,
    server: .http1WebSocketUpgrade(
        webSocketRouter: wsRouter,
        configuration: .init(ws: .init(maxFrameSize: 1 << 24, autoPing: .disabled, validateUTF8: true))
    ),
    configuration: .init(address: .hostname(host, port: port), serverName: "hb-bench"),
    logger: logger
)
try await app.runService()
