import Testing
@testable import Realtime

@Suite("Protocol violations fail the connection with the right close code")
struct WebSocketProtocolErrorTests {
    @Test("Reserved bits without an extension close with 1002")
    func reservedBits() {
        var frame = clientFrame(.text, Array("a".utf8))
        frame[0] |= 0x20
        #expect(feedEverywhere(frame) == failure(.reservedBitsSet))
        #expect(feedEverywhere(clientFrame(.text, Array("a".utf8), rsv1: true)) == failure(.reservedBitsSet))
    }

    @Test("Unknown opcodes close with 1002")
    func unknownOpcodes() {
        for opcode: UInt8 in [3, 4, 5, 6, 7, 11, 12, 13, 14, 15] {
            #expect(feedEverywhere([0x80 | opcode, 0x80, 0, 0, 0, 0]) == failure(.unknownOpcode(opcode)))
        }
    }

    @Test("An unmasked client frame closes with 1002 (RFC 6455 section 5.1)")
    func unmasked() {
        #expect(feedEverywhere([0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f]) == failure(.unmaskedFrame))
    }

    @Test("A continuation without a message closes with 1002")
    func continuationFirst() {
        #expect(feedEverywhere(clientFrame(.continuation, Array("x".utf8))) == failure(.unexpectedContinuation))
    }

    @Test("A new data frame during a fragmented message closes with 1002")
    func newMessageMidFragment() {
        let input = clientFrame(.text, Array("a".utf8), fin: false) + clientFrame(.text, Array("b".utf8))
        #expect(feedEverywhere(input) == failure(.expectedContinuation))
    }

    @Test("A fragmented or oversized control frame closes with 1002")
    func controlFrameRules() {
        #expect(feedEverywhere(clientFrame(.ping, [], fin: false)) == failure(.fragmentedControlFrame))
        #expect(feedEverywhere(clientFrame(.ping, [UInt8](repeating: 0, count: 126))) == failure(.controlFrameTooLong))
    }

    @Test("A 64-bit length with the top bit set closes with 1002")
    func lengthTopBit() {
        #expect(feedEverywhere([0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]) == failure(.invalidLength))
    }

    @Test("A frame over maxFrameBytes closes with 1009 as soon as its length is read")
    func frameTooBig() {
        let config = WebSocketConfiguration(maxFrameBytes: 100)
        #expect(feedEverywhere([0x82, 0xFE, 0x00, 0x65], configuration: config) == failure(.frameTooBig))
    }

    @Test("Fragments adding up past maxMessageBytes close with 1009")
    func messageTooBig() {
        let config = WebSocketConfiguration(maxMessageBytes: 10)
        let input = clientFrame(.binary, [UInt8](repeating: 1, count: 6), fin: false)
            + clientFrame(.continuation, [UInt8](repeating: 1, count: 6))
        #expect(feedEverywhere(input, configuration: config) == failure(.messageTooBig))
    }

    @Test("Invalid UTF-8 fails at the bad byte, before the fragment or message ends")
    func utf8FailsFast() {
        // A text frame announcing 10 bytes; the fifth (0xED 0xA0 = a surrogate) is already fatal.
        let frame = clientFrame(.text, [0x61, 0x62, 0x63, 0xED, 0xA0, 0x80, 0x61, 0x62, 0x63, 0x64])
        #expect(feedEverywhere(Array(frame.prefix(6 + 5))) == failure(.invalidUTF8))
        let fragmented = clientFrame(.text, Array("ok".utf8), fin: false) + clientFrame(.continuation, [0xC0], fin: false)
        #expect(feedEverywhere(fragmented) == failure(.invalidUTF8))
    }

    @Test("A text message ending inside a UTF-8 sequence closes with 1007")
    func utf8Truncated() {
        #expect(feedEverywhere(clientFrame(.text, [0xCE])) == failure(.invalidUTF8))
    }

    @Test("Close payload rules: one byte 1002, invalid codes 1002, bad reason 1007")
    func closePayloads() {
        #expect(feedEverywhere(clientFrame(.close, [0x03])) == failure(.truncatedCloseCode))
        for code: UInt16 in [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] {
            #expect(feedEverywhere(clientFrame(.close, [UInt8(code >> 8), UInt8(code & 0xFF)])) == failure(.invalidCloseCode(code)))
        }
        #expect(feedEverywhere(clientFrame(.close, [0x03, 0xE8, 0xFF])) == failure(.invalidUTF8))
    }

    @Test("Every valid close code is echoed back")
    func validCloseCodes() {
        for code: UInt16 in [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999] {
            let payload = [UInt8(code >> 8), UInt8(code & 0xFF)]
            #expect(feedEverywhere(clientFrame(.close, payload)) == [
                .send([0x88, 0x02] + payload), .closeAfterFlush, .closed(code: WebSocketCloseCode(rawValue: code), reason: "")])
        }
    }
}
