import Testing
@testable import Realtime

@Suite("Frame encoding and decoding (RFC 6455 section 5)")
struct WebSocketFrameTests {
    @Test("An unmasked single-frame Hello encodes as in RFC 6455 section 5.7")
    func unmaskedHello() {
        #expect(WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hello".utf8))
            == [0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
    }

    @Test("A masked Hello encodes as in RFC 6455 section 5.7")
    func maskedHello() {
        #expect(clientFrame(.text, Array("Hello".utf8))
            == [0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
    }

    @Test("Fragmented unmasked Hello frames match RFC 6455 section 5.7")
    func fragmented() {
        #expect(WebSocketFrameEncoder.encode(opcode: .text, payload: Array("Hel".utf8), fin: false) == [0x01, 0x03, 0x48, 0x65, 0x6c])
        #expect(WebSocketFrameEncoder.encode(opcode: .continuation, payload: Array("lo".utf8)) == [0x80, 0x02, 0x6c, 0x6f])
    }

    @Test("Ping and masked pong frames match RFC 6455 section 5.7")
    func pingPong() {
        #expect(WebSocketFrameEncoder.encode(opcode: .ping, payload: Array("Hello".utf8)) == [0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f])
        #expect(clientFrame(.pong, Array("Hello".utf8)) == [0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58])
    }

    @Test("256 bytes use the 16-bit length form and 64 KiB the 64-bit form")
    func extendedLengths() {
        let medium = WebSocketFrameEncoder.encode(opcode: .binary, payload: [UInt8](repeating: 7, count: 256))
        #expect(Array(medium.prefix(4)) == [0x82, 0x7E, 0x01, 0x00])
        #expect(medium.count == 4 + 256)
        let large = WebSocketFrameEncoder.encode(opcode: .binary, payload: [UInt8](repeating: 7, count: 65536))
        #expect(Array(large.prefix(10)) == [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00])
        #expect(large.count == 10 + 65536)
    }

    @Test("The decoder reads a masked 64 KiB frame header and streams its payload")
    func decodeLarge() throws {
        let payload = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let frame = clientFrame(.binary, payload)
        var decoder = WebSocketFrameDecoder(maxFrameBytes: 1 << 20)
        try frame.withUnsafeBytes { raw in
            let (step, consumed) = try decoder.next(raw)
            #expect(consumed == 14)
            guard case .header(let header) = step else { Issue.record("no header"); return }
            #expect(header == WebSocketFrameHeader(fin: true, opcode: .binary, maskKey: rfcMaskKey, payloadLength: 65536))
            let (chunk, rest) = try decoder.next(UnsafeRawBufferPointer(rebasing: raw[14...]))
            #expect(rest == 65536)
            guard case .payload(let bytes, let key, let isLast) = chunk else { Issue.record("no payload"); return }
            var unmasked: [UInt8] = []
            WebSocketMask.appendUnmasked(bytes, key: key, to: &unmasked)
            #expect(isLast)
            #expect(unmasked == payload)
        }
    }

    @Test("Unmasking from any offset equals byte-wise XOR")
    func unmaskOffsets() {
        let data = (0..<37).map { UInt8($0 * 7 & 0xFF) }
        let keyBytes: [UInt8] = [0x37, 0xfa, 0x21, 0x3d]
        for offset in 0..<4 {
            var out: [UInt8] = []
            data.withUnsafeBytes { WebSocketMask.appendUnmasked($0, key: WebSocketMask.rotate(rfcMaskKey, by: offset), to: &out) }
            #expect(out == data.enumerated().map { $0.element ^ keyBytes[($0.offset + offset) % 4] })
        }
    }

    @Test("A close reason is cut to 123 bytes on a character boundary")
    func closeReasonTruncated() {
        let frame = WebSocketFrameEncoder.encodeClose(code: .goingAway, reason: String(repeating: "é", count: 100))
        #expect(frame[1] == 2 + 122)
        #expect(Array(frame[2...3]) == [0x03, 0xE9])
    }
}
