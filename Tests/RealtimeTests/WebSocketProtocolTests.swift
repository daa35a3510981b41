import Testing
@testable import Realtime

@Suite("Protocol state machine (RFC 6455 sections 5-8)")
struct WebSocketProtocolTests {
    @Test("A masked Hello is delivered as text, whole or byte by byte")
    func deliversText() {
        #expect(feedEverywhere([0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58]) == [.deliverText("Hello")])
    }

    @Test("A fragmented message with a ping in between delivers the pong first, then the message")
    func fragmentsWithInterleavedPing() {
        let input = clientFrame(.text, Array("Hel".utf8), fin: false)
            + clientFrame(.ping, Array("hi".utf8))
            + clientFrame(.continuation, Array("lo".utf8))
        #expect(feedEverywhere(input) == [.send([0x8A, 0x02, 0x68, 0x69]), .deliverText("Hello")])
    }

    @Test("A ping is answered with a pong carrying the same payload; a pong is ignored")
    func pingPong() {
        #expect(feedEverywhere(clientFrame(.ping, Array("Hello".utf8))) == [.send([0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])])
        #expect(feedEverywhere(clientFrame(.pong, Array("x".utf8))) == [])
    }

    @Test("Binary messages of 256 bytes and 64 KiB arrive intact")
    func binaryLengths() {
        for count in [0, 125, 126, 256, 65535, 65536] {
            let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
            #expect(feed(clientFrame(.binary, payload)) == [.deliverBinary(payload)])
            #expect(feed(clientFrame(.binary, payload), chunkSize: 1000) == [.deliverBinary(payload)])
        }
    }

    @Test("A close with a code is echoed, then the connection closes after the flush")
    func closeEchoed() {
        let input = clientFrame(.close, [0x03, 0xE8] + Array("bye".utf8))
        #expect(feedEverywhere(input) == [.send([0x88, 0x02, 0x03, 0xE8]), .closeAfterFlush,
                                          .closed(code: .normalClosure, reason: "bye")])
    }

    @Test("An empty close is answered with an empty close")
    func emptyClose() {
        #expect(feedEverywhere(clientFrame(.close, [])) == [.send([0x88, 0x00]), .closeAfterFlush, .closed(code: nil, reason: "")])
    }

    @Test("Bytes after the peer's close are consumed and ignored")
    func afterClose() {
        let input = clientFrame(.close, []) + clientFrame(.text, Array("late".utf8))
        #expect(feed(input) == [.send([0x88, 0x00]), .closeAfterFlush, .closed(code: nil, reason: "")])
    }

    @Test("After a server close, data is dropped and the peer's close completes the handshake")
    func serverInitiatedClose() {
        var machine = WebSocketProtocol(deflate: nil)
        var actions: [WebSocketAction] = []
        machine.close(code: .goingAway, reason: "shutdown", into: &actions)
        #expect(actions == [.send(WebSocketFrameEncoder.encodeClose(code: .goingAway, reason: "shutdown"))])
        #expect(machine.state == .closeSent)
        actions.removeAll()
        let input = clientFrame(.text, Array("ignored".utf8)) + clientFrame(.ping, []) + clientFrame(.close, [0x03, 0xE9])
        _ = input.withUnsafeBytes { machine.receive($0, into: &actions) }
        #expect(actions == [.closeAfterFlush, .closed(code: .goingAway, reason: "")])
        #expect(machine.state == .closed)
    }

    @Test("Losing TCP reports an abnormal closure once")
    func connectionLost() {
        var machine = WebSocketProtocol(deflate: nil)
        var actions: [WebSocketAction] = []
        machine.connectionLost(into: &actions)
        machine.connectionLost(into: &actions)
        #expect(actions == [.closed(code: .abnormalClosure, reason: "connection lost")])
    }
}
