import Foundation
import Testing
@testable import Mail

@Suite struct MailMessageFixtureTests {
    @Test("Gmail multipart/alternative: the plain text is chosen, QP and UTF-8 decoded, encoded-word subject and sender name decoded")
    func gmail() throws {
        let m = try parsedFixture("gmail-alternative-utf8.eml")
        #expect(m.subject == "Re: Café order — still waiting")
        #expect(m.from == [MailAddress(name: "Jürgen Müller", address: "juergen.mueller@gmail.test")])
        #expect(m.messageID == "CAF=abc123+XYZ@mail.gmail.com")
        #expect(m.inReplyTo == ["0c1e2f@desk.example.test"])
        #expect(m.references == ["a1@desk.example.test", "0c1e2f@desk.example.test"])
        #expect(m.text.hasPrefix("Hi,\n\nstill no café — can you check?\n\nOn Mon"))
        #expect(m.html?.contains("<div dir=\"ltr\">") == true)
        #expect(QuotedHistory.split(m.text).reply == "Hi,\n\nstill no café — can you check?")
        #expect(m.date == iso("2026-11-24T13:03:11Z"))
        #expect(m.attachments.isEmpty && m.defects.isEmpty)
    }

    @Test("Outlook HTML-only Windows-1252 mail becomes readable text without script, style or markup")
    func outlookHTMLOnly() throws {
        let m = try parsedFixture("outlook-html-only-windows-1252.eml")
        #expect(m.from.first?.name == "Smith, Jane")
        #expect(m.text == "Hello,\n\nThe invoice says € 120 – that’s wrong.\n\n- Item one\n- Item & two\n\nSee the invoice <https://corp.test/inv/1> and this.\n\n[Corp logo]")
        #expect(!m.text.contains("alert") && !m.text.contains("color:red") && !m.text.contains("<p") && !m.text.contains("hidden"))
        #expect(m.html?.contains("<script>") == true)  // kept for download only
    }

    @Test("Apple Mail alternative with a related HTML part: plain text chosen, the cid image kept as an inline attachment")
    func appleMailInlineImage() throws {
        let m = try parsedFixture("apple-mail-related-inline-image.eml")
        #expect(m.text == "Here is what I see:\n\n[image: error.png]\n")
        #expect(m.attachments.count == 1)
        let image = try #require(m.attachments.first)
        #expect(image.filename == "error.png" && image.contentType == "image/png" && image.isInline)
        #expect(image.contentID == "img-1@icloud.test")
        #expect(image.data?.prefix(4) == [0x89, 0x50, 0x4E, 0x47])
        #expect(m.structure.allParts.map(\.mimeType) == ["multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png"])
    }

    @Test("Thunderbird: 8-bit ISO-8859-2 flowed text, RFC 2231 continued UTF-8 file names, and a path-traversal name made safe")
    func thunderbird() throws {
        let m = try parsedFixture("thunderbird-rfc2231-filenames.eml")
        #expect(m.subject == "Faktúra č. 12")
        #expect(m.text.hasPrefix("Dobrý den, posílám fakturu."))
        #expect(m.attachments.map(\.filename) == ["Žádost o úhradu.pdf", "passwd"])
        #expect(m.attachments[0].data == Array("%PDF-1.4\n%äüöß\n".utf8))
        #expect(m.date == iso("2026-11-27T09:00:00Z"))  // "27 Nov 26 10:00 +0100": two-digit year
    }

    @Test("A forwarded message/rfc822 part is kept as an .eml attachment named after its subject")
    func forwarded() throws {
        let m = try parsedFixture("forwarded-message-rfc822.eml")
        #expect(m.text == "See the customer's complaint below.\n")
        let eml = try #require(m.attachments.first)
        #expect(eml.filename == "Complaint.eml" && eml.contentType == "message/rfc822")
        let inner = try MailMessage.parse(try #require(eml.data))
        #expect(inner.messageID == "orig-1@customer.test")
    }

    @Test("A bounce gives a delivery report naming the failed recipient, the status and our original Message-ID")
    func bounce() throws {
        let m = try parsedFixture("bounce-delivery-status.eml")
        let report = try #require(m.deliveryReport)
        #expect(report.originalMessageID == "reply-12-3@desk.example.test")
        #expect(report.originalSubject == "Re: Your ticket [TKT-12]")
        #expect(report.recipients.count == 1)
        #expect(report.recipients[0].address == "nobody@customer.test")
        #expect(report.recipients[0].status == "5.1.1" && report.recipients[0].isPermanentFailure)
        #expect(report.recipients[0].diagnostic?.contains("User unknown") == true)
        #expect(m.text.hasPrefix("I'm sorry"))
        #expect(LoopGuard.isDeliveryReport(m))
    }

    @Test("A calendar invitation keeps its text, and the text/calendar alternative and the .ics file as attachments")
    func calendar() throws {
        let m = try parsedFixture("calendar-invite.eml")
        #expect(m.text == "You are invited to the onboarding call.")
        #expect(m.attachments.map(\.contentType) == ["text/calendar", "application/ics"])
        #expect(m.attachments.map(\.filename) == ["attachment-1.ics", "invite.ics"])
    }

    @Test("Broken mail is repaired, not refused: missing close boundary, unknown charset and encoding, bad QP escape, bad date")
    func broken() throws {
        let m = try parsedFixture("missing-close-boundary-and-junk.eml")
        #expect(m.subject == "こんにちは world")  // adjacent encoded words joined without the blank
        #expect(m.text == "first part\n\nsecond =ZZ part with bad escape")
        #expect(m.date == nil)
        #expect(m.defects.contains("a multipart has no closing boundary"))
        #expect(m.defects.contains { $0.contains("x-no-such-charset") })
        #expect(m.defects.contains { $0.contains("x-uuencode-ish") })
    }

    @Test("ISO-2022-JP body, subject and display name decode through iconv")
    func japanese() throws {
        let m = try parsedFixture("iso-2022-jp.eml")
        #expect(m.subject == "こんにちは")
        #expect(m.from.first?.name == "山田")
        #expect(m.text == "こんにちは\n")
    }

    @Test("LF-only line endings and format=flowed with delsp=yes are read as paragraphs")
    func flowed() throws {
        let m = try parsedFixture("lf-only-flowed.eml")
        #expect(m.text == "This line is flowed and joined.\n> quoted\n")
        #expect(QuotedHistory.split(m.text).reply == "This line is flowed and joined.")
    }
}

func iso(_ text: String) -> Date? { ISO8601DateFormatter().date(from: text) }
