import Testing
@testable import Mail

@Suite struct TransferEncodingTests {
    private func qp(_ s: String) -> String {
        String(decoding: Array(s.utf8).withUnsafeBufferPointer { QuotedPrintable.decode($0).bytes }, as: UTF8.self)
    }

    @Test("quoted-printable: escapes, soft breaks (CRLF and LF), trailing blanks dropped, a bad escape kept as written")
    func qpDecode() {
        #expect(qp("caf=C3=A9") == "café")
        #expect(qp("long=\r\nline") == "longline")
        #expect(qp("long=  \nline") == "longline")
        #expect(qp("trailing   \r\nnext") == "trailing\r\nnext")
        #expect(qp("a =ZZ b") == "a =ZZ b")
        #expect(qp("lower =c3=a9") == "lower é")
        #expect(qp("end=") == "end")
    }

    @Test("quoted-printable encoding keeps lines within 76 characters and escapes '=', 8-bit, a leading '.', 'From ' and trailing blanks")
    func qpEncode() {
        let text = "Zoë = 1\n.\nFrom me\nends with space \n" + String(repeating: "x", count: 200)
        let encoded = String(decoding: QuotedPrintable.encode(Array(text.utf8)), as: UTF8.self)
        for line in encoded.components(separatedBy: "\r\n") { #expect(line.utf8.count <= 76) }
        #expect(encoded.hasPrefix("Zo=C3=AB =3D 1\r\n=2E\r\n=46rom me\r\nends with space=20\r\n"))
        #expect(qp(encoded) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("base64 decodes across line breaks, stops at padding, skips junk and reports it; encoding wraps at 76")
    func base64() {
        func decode(_ s: String) -> ([UInt8], Bool) {
            let r = Array(s.utf8).withUnsafeBufferPointer { Base64.decode($0) }
            return (r.bytes, r.clean)
        }
        #expect(decode("aGVs\r\nbG8=").0 == Array("hello".utf8) && decode("aGVs\r\nbG8=").1)
        #expect(decode("aGVsbG8").0 == Array("hello".utf8))
        #expect(decode("aG!VsbG8=").0 == Array("hello".utf8) && !decode("aG!VsbG8=").1)
        let bytes = (0..<200).map { UInt8($0) }
        let encoded = Base64.encode(bytes)
        let lines = String(decoding: encoded, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(encoded.withUnsafeBufferPointer { Base64.decode($0).bytes } == bytes)
    }
}
