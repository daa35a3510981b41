import Testing
@testable import Mail

@Suite struct MailLimitsTests {
    @Test("each hard limit refuses the message with its own code and the limit in the message")
    func hardLimits() throws {
        var limits = MailLimits()
        limits.maxMessageBytes = 100
        #expect(throws: MailParseError(.messageTooLarge, limit: 100)) {
            try MailMessage.parse(Array(repeating: 0x41, count: 101), limits: limits)
        }
        #expect(MailParseError(.messageTooLarge, limit: 100).description == "the message is larger than 100 bytes")

        limits = MailLimits()
        limits.maxHeaderFields = 3
        #expect(throws: MailParseError(.tooManyHeaderFields, limit: 3)) {
            try MailMessage.parse(crlf("A: 1\nB: 2\nC: 3\nD: 4\n\nbody"), limits: limits)
        }

        limits = MailLimits()
        limits.maxHeaderFieldBytes = 50
        let folded = "Subject: x\n" + String(repeating: " continued words\n", count: 10) + "\nbody"
        #expect(throws: MailParseError(.headerFieldTooLong, limit: 50)) { try MailMessage.parse(crlf(folded), limits: limits) }

        limits = MailLimits()
        limits.maxHeaderSectionBytes = 64
        let many = (0..<10).map { "X-\($0): value\n" }.joined() + "\nbody"
        #expect(throws: MailParseError(.headerSectionTooLarge, limit: 64)) { try MailMessage.parse(crlf(many), limits: limits) }
    }

    @Test("too many parts and too deep nesting are refused before the tree grows")
    func partsAndDepth() throws {
        var limits = MailLimits()
        limits.maxParts = 5
        let parts = (0..<10).map { _ in "--b\n\npart\n" }.joined()
        #expect(throws: MailParseError(.tooManyParts, limit: 5)) {
            try MailMessage.parse(crlf("Content-Type: multipart/mixed; boundary=b\n\n\(parts)--b--\n"), limits: limits)
        }
        limits = MailLimits()
        limits.maxDepth = 3
        var nested = "leaf\n"
        for level in (0..<6).reversed() {
            nested = "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n\(nested)\n--b\(level)--\n"
        }
        #expect(throws: MailParseError(.nestingTooDeep, limit: 3)) { try MailMessage.parse(crlf("From: a@b.c\n" + nested), limits: limits) }
    }

    @Test("an attachment over the per-file limit is kept as a note without bytes; the rest of the message is intact")
    func oversizedAttachment() throws {
        var limits = MailLimits()
        limits.maxAttachmentBytes = 30
        let big = Base64.encode(Array(repeating: 7, count: 300))
        let raw = crlf("""
            From: a@b.test
            Content-Type: multipart/mixed; boundary=x

            --x
            Content-Type: text/plain

            see attached
            --x
            Content-Type: application/zip; name=big.zip
            Content-Transfer-Encoding: base64

            \(String(decoding: big, as: UTF8.self))
            --x--
            """)
        let m = try MailMessage.parse(raw, limits: limits)
        #expect(m.text == "see attached")
        #expect(m.attachments.count == 1 && m.attachments[0].isOmitted && m.attachments[0].filename == "big.zip")
        #expect(m.attachments[0].size >= 300)
    }

    @Test("body text over the limit is cut on a character boundary with a visible note")
    func longText() throws {
        var limits = MailLimits()
        limits.maxBodyTextBytes = 10
        let m = try MailMessage.parse(crlf("From: a@b.test\nContent-Type: text/plain; charset=utf-8\n\nééééééééé"), limits: limits)
        #expect(m.textTruncated)
        #expect(m.text.hasPrefix("ééééé\n\n[The rest of this message was cut"))
    }

    @Test("empty input and input without header fields are refused; garbage never crashes")
    func garbage() throws {
        #expect(throws: MailParseError(.empty)) { try MailMessage.parse([]) }
        #expect(throws: MailParseError(.noHeaderFields)) { try MailMessage.parse(Array("\r\n\r\nhello".utf8)) }
        var generator = SeededGenerator(seed: 42)
        let alphabet = Array("=?:;<>\"()\r\n -BQbq_\\%*'abcdefg0123456789/".utf8) + [0x00, 0xFF, 0x80, 0x1B]
        let seeds = [
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n",
            "Subject: =?utf-8?q?a?= =?iso-2022-jp?b?GyRC?=\r\nContent-Type: text/html\r\n\r\n<a href='x'>&#x110000;&#0;<",
            "Content-Type: text/plain; a*0*=utf-8''%; a*1=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n====",
        ]
        for round in 0..<3_000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0..<Int.random(in: 0...200, using: &generator) {
                bytes.insert(alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...bytes.count, using: &generator))
            }
            _ = try? MailMessage.parse(bytes, limits: .small())
        }
    }
}

/// A small deterministic generator (SplitMix64) so the garbage test is reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct FileNameTests {
    @Test("file names lose directories, control and reserved characters and leading dots, and stay within 200 bytes")
    func safeNames() {
        #expect(FileName.safe("../../etc/passwd", index: 1, contentType: "text/plain") == "passwd")
        #expect(FileName.safe("C:\\Users\\x\\evil.exe", index: 1, contentType: "") == "evil.exe")
        #expect(FileName.safe("..hidden\u{0}\u{7}<a>.txt", index: 1, contentType: "") == "hiddena.txt")
        #expect(FileName.safe("", index: 3, contentType: "image/png") == "attachment-3.png")
        #expect(FileName.safe("...", index: 2, contentType: "x/unknown") == "attachment-2.bin")
        let long = FileName.safe(String(repeating: "é", count: 300) + ".pdf", index: 1, contentType: "")
        #expect(long.utf8.count <= 200 && long.hasSuffix(".pdf"))
        // Found by the fuzzer: a "extension" longer than the limit used to empty the stem and trap.
        let dotted = FileName.safe("a." + String(repeating: "x", count: 300), index: 1, contentType: "")
        #expect(dotted.utf8.count <= 200 && !dotted.isEmpty)
    }
}
