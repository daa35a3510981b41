import Foundation
import Testing
@testable import Mail

@Suite struct MessageBuilderTests {
    private let builder = MessageBuilder(boundaryToken: { "TEST" })
    private let date = Date(timeIntervalSince1970: 1_796_000_000)

    private func reply() -> OutgoingMail {
        var mail = OutgoingMail(
            from: MailAddress(name: "ACME Support", address: "support@desk.test"),
            to: [MailAddress(name: "Zoë Ångström", address: "zoe@customer.test")],
            subject: "Re: Ďábelsky dlouhý předmět, který se nevejde na jeden řádek hlavičky [TKT-42]",
            text: "Hello Zoë,\n\nthe part ships today.\n.\n", messageID: "r1@desk.test", date: date)
        mail.cc = [MailAddress(name: "Doe, John", address: "john@customer.test")]
        mail.inReplyTo = "c2@customer.test"
        mail.references = ["c1@customer.test", "c2@customer.test"]
        return mail
    }

    private func lines(_ bytes: [UInt8]) -> [String] { String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n") }

    @Test("a plain reply: threading headers, encoded subject and names, lines within 78 characters, CRLF only")
    func plainReply() throws {
        let raw = try builder.build(reply())
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.hasPrefix("Date: Mon, 30 Nov 2026 00:53:20 +0000\r\nFrom: ACME Support <support@desk.test>\r\n"))
        #expect(text.contains("\r\nCc: \"Doe, John\" <john@customer.test>\r\n"))
        #expect(text.contains("\r\nMessage-ID: <r1@desk.test>\r\nIn-Reply-To: <c2@customer.test>\r\nReferences: <c1@customer.test> <c2@customer.test>\r\n"))
        #expect(text.contains("\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"))
        #expect(lines(raw).allSatisfy { $0.utf8.count <= 78 })
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(raw.allSatisfy { $0 < 0x80 })
        let parsed = try MailMessage.parse(raw)
        #expect(parsed.subject == reply().subject)
        #expect(parsed.to == reply().to && parsed.cc == reply().cc && parsed.from == [reply().from])
        #expect(parsed.text == "Hello Zoë,\n\nthe part ships today.\n.\n")
        #expect(parsed.inReplyTo == ["c2@customer.test"] && parsed.references == ["c1@customer.test", "c2@customer.test"])
        #expect(parsed.date == date)
    }

    @Test("ASCII text with short lines goes as 7bit, byte for byte")
    func sevenBit() throws {
        var mail = reply()
        mail.text = "Short and plain.\nSecond line."
        let raw = String(decoding: try builder.build(mail), as: UTF8.self)
        #expect(raw.hasSuffix("Content-Transfer-Encoding: 7bit\r\n\r\nShort and plain.\r\nSecond line."))
    }

    @Test("text and HTML alternatives, a file with a non-ASCII name, and an inline image round-trip with identical bytes")
    func multipart() throws {
        var mail = reply()
        mail.html = "<p>Hello <b>Zoë</b><img src=\"cid:logo@desk.test\"></p>"
        let pdf = (0..<5000).map { UInt8($0 % 251) }
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0, 1, 2]
        mail.attachments = [
            OutgoingAttachment(filename: "Účtenka č. 7.pdf", contentType: "application/pdf", data: pdf),
            OutgoingAttachment(filename: "logo.png", contentType: "image/png", data: png, contentID: "logo@desk.test"),
        ]
        let raw = try builder.build(mail)
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.contains("Content-Type: multipart/mixed; boundary=\"=_hd_TEST_3\""))
        #expect(text.contains("filename*=utf-8''%C3%9A%C4%8Dtenka%20%C4%8D.%207.pdf"))
        #expect(lines(raw).allSatisfy { $0.utf8.count <= 78 })
        let parsed = try MailMessage.parse(raw)
        #expect(parsed.structure.allParts.map(\.mimeType)
                == ["multipart/mixed", "multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png", "application/pdf"])
        #expect(parsed.text == "Hello Zoë,\n\nthe part ships today.\n.\n")
        #expect(parsed.html == mail.html)
        #expect(parsed.attachments.map(\.filename) == ["logo.png", "Účtenka č. 7.pdf"])
        #expect(parsed.attachments.first { $0.filename == "logo.png" }?.data == png)
        #expect(parsed.attachments.first { $0.filename == "logo.png" }?.contentID == "logo@desk.test")
        let pdfRoundTrips = parsed.attachments.first { $0.contentType == "application/pdf" }?.data == pdf
        #expect(pdfRoundTrips)
    }

    @Test("line breaks in a subject, a name or an extra header cannot inject header fields")
    func noInjection() throws {
        var mail = reply()
        mail.subject = "Hi\r\nBcc: victim@x.test"
        mail.to = [MailAddress(name: "Eve\nBcc: victim@x.test", address: "eve@x.test")]
        mail.extraHeaders = [HeaderField(name: "X-Ticket", value: "1\r\nBcc: victim@x.test")]
        let parsed = try MailMessage.parse(try builder.build(mail))
        #expect(parsed.headers["Bcc"] == nil)
        #expect(parsed.subject == "Hi Bcc: victim@x.test")
        #expect(parsed.headers["X-Ticket"] == "1 Bcc: victim@x.test")
    }

    @Test("automatic messages carry Auto-Submitted (RFC 3834) and are recognised as such by our own loop guard")
    func autoSubmitted() throws {
        var mail = reply()
        mail.autoSubmitted = .autoReplied
        let parsed = try MailMessage.parse(try builder.build(mail))
        #expect(parsed.headers["Auto-Submitted"] == "auto-replied")
        #expect(LoopGuard.autoReplySuppression(for: parsed, ourAddresses: []) == .autoSubmitted("auto-replied"))
    }

    @Test("bad addresses, Message-IDs, header names and a missing recipient are refused with a reason")
    func refusals() {
        var mail = reply()
        mail.to = [MailAddress(address: "not an address")]
        #expect(throws: MailBuildError("\"not an address\" is not an address we can send to")) { try builder.build(mail) }
        mail = reply()
        mail.messageID = "<no brackets allowed>"
        #expect(throws: MailBuildError.self) { try builder.build(mail) }
        mail = reply()
        mail.extraHeaders = [HeaderField(name: "Bad Name", value: "x")]
        #expect(throws: MailBuildError("\"Bad Name\" is not a header field name")) { try builder.build(mail) }
        mail = reply()
        mail.to = []
        mail.cc = []
        #expect(throws: MailBuildError("the message has no recipient")) { try builder.build(mail) }
    }

    @Test("new Message-IDs are unique and at the given domain")
    func messageIDs() {
        let ids = Set((0..<100).map { _ in MessageBuilder.newMessageID(domain: "desk.test") })
        #expect(ids.count == 100 && ids.allSatisfy { $0.hasSuffix("@desk.test") && $0.count == 32 + 10 })
    }
}
