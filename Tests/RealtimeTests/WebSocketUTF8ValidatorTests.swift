import Testing
@testable import Realtime

@Suite("Streaming UTF-8 validation (RFC 3629)")
struct WebSocketUTF8ValidatorTests {
    func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Validator.isValid($0) } }

    @Test("Well-formed text, including 4-byte sequences and long ASCII runs, is valid")
    func wellFormed() {
        #expect(valid(Array("κόσμε Hello-µ@ßöäüàá-UTF-8!! 𝄞 \u{10FFFF}".utf8)))
        #expect(valid(Array(String(repeating: "abcdefghij", count: 100).utf8)))
        #expect(valid([]))
    }

    @Test("Overlongs, surrogates, out-of-range and stray continuation bytes are rejected")
    func malformed() {
        for bad: [UInt8] in [[0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
                             [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0x80], [0x61, 0xBF], [0xE2, 0x82]] {
            #expect(!valid(bad), "\(bad)")
        }
    }

    @Test("State carries across chunks split inside a sequence")
    func acrossChunks() {
        let bytes = Array("aaaaaaaa𝄞bbbbbbbbé".utf8)
        for split in 0...bytes.count {
            var v = UTF8Validator()
            let ok = bytes[..<split].withUnsafeBytes { v.validate($0) } && bytes[split...].withUnsafeBytes { v.validate($0) }
            #expect(ok && v.isComplete)
        }
    }
}
