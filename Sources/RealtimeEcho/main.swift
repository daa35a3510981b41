// realtime-echo: the smallest complete use of the Realtime module, and the server that
// the Autobahn conformance suite and the benchmark talk to.
//
//   realtime-echo [--host 127.0.0.1] [--port 9001] [--loops N] [--tls-cert FILE --tls-key FILE]
//
//   With --tls-cert and --tls-key (PEM) it speaks HTTPS and WSS; SIGHUP reloads both files.
//
//   GET  /hello          a small JSON body
//   WS   /ws/echo        echoes every text and binary message
//   WS   /ws/room/<id>   broadcasts every text message to everyone in room <id>, sender included
import Foundation
import Realtime

/// Echoes each message back to its sender.
final class EchoHandler: WebSocketHandler {
    func webSocket(_ socket: WebSocket, didReceiveText text: String) { socket.send(text: text) }
    func webSocket(_ socket: WebSocket, didReceiveBinary bytes: [UInt8]) { socket.send(binary: bytes) }
}

/// Puts each socket in the room named by its path and relays text to the whole room.
final class RoomHandler: WebSocketHandler {
    let rooms: @Sendable () -> Rooms

    init(rooms: @escaping @Sendable () -> Rooms) { self.rooms = rooms }

    func webSocketDidOpen(_ socket: WebSocket) {
        socket.join(socket.parameters["id"] ?? "")
    }

    func webSocket(_ socket: WebSocket, didReceiveText text: String) {
        rooms().broadcast(.text(text), to: socket.parameters["id"] ?? "")
    }
}

var configuration = ServerConfiguration()
configuration.port = 9001
var certificatePath: String?
var keyPath: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--host": configuration.host = arguments.next() ?? configuration.host
    case "--port": configuration.port = arguments.next().flatMap(Int.init) ?? configuration.port
    case "--loops": configuration.loopCount = arguments.next().flatMap(Int.init) ?? configuration.loopCount
    case "--tls-cert": certificatePath = arguments.next()
    case "--tls-key": keyPath = arguments.next()
    case "--help", "-h":
        print("usage: realtime-echo [--host HOST] [--port PORT] [--loops N] [--tls-cert FILE --tls-key FILE]")
        exit(0)
    default:
        FileHandle.standardError.write(Data("realtime-echo: unknown argument \(argument)\n".utf8))
        exit(2)
    }
}

switch (certificatePath, keyPath) {
case (let certificate?, let key?):
    configuration.tls = TLSConfiguration(certificateChainPath: certificate, privateKeyPath: key)
case (nil, nil):
    break
default:
    FileHandle.standardError.write(Data("realtime-echo: --tls-cert and --tls-key go together\n".utf8))
    exit(2)
}

let hello = HTTPResponse.json(Array(#"{"message":"Hello, world!"}"#.utf8))
let router = Router()
router.get("/hello") { _ in hello }

Server.prepareProcess()
let server = Server(configuration: configuration, handler: router.handler)
let echo = EchoHandler()
let room = RoomHandler(rooms: { server.rooms })
server.webSocket("/ws/echo") { _, decide in decide(.accept(echo)) }
server.webSocket("/ws/room/:id") { _, decide in decide(.accept(room)) }
do {
    let port = try server.start()
    let scheme = configuration.tls == nil ? "http" : "https"
    print("realtime-echo listening on \(scheme)://\(configuration.host):\(port) with \(configuration.loopCount) loop(s)")
    fflush(nil)
} catch {
    FileHandle.standardError.write(Data("realtime-echo: \(error)\n".utf8))
    exit(1)
}
server.runUntilSignalled()
