import Foundation
import Testing
@testable import Mail

@Suite struct HeaderValueTests {
    @Test("encoded words: B and Q, blanks between adjacent words dropped, a character split across words rejoined, malformed kept")
    func encodedWords() {
        #expect(EncodedWords.decode("=?UTF-8?Q?Caf=C3=A9_au_lait?=") == "Café au lait")
        #expect(EncodedWords.decode("=?utf-8?b?w6k=?= =?utf-8?b?w6k=?= x") == "éé x")
        #expect(EncodedWords.decode("=?UTF-8?B?ww==?= =?UTF-8?B?qQ==?=") == "é")  // C3 | A9
        #expect(EncodedWords.decode("=?ISO-8859-1?Q?a=E9?= plain") == "aé plain")
        #expect(EncodedWords.decode("=?UTF-8*en?Q?hi?=") == "hi")
        #expect(EncodedWords.decode("=?bogus") == "=?bogus")
        #expect(EncodedWords.decode("no words") == "no words")
    }

    @Test("encoding non-ASCII header text makes words of at most 75 characters that decode back")
    func encodeWords() {
        let text = String(repeating: "Žluťoučký kůň ", count: 8)
        let words = EncodedWords.encode(text)
        #expect(words.allSatisfy { $0.count <= 75 })
        #expect(EncodedWords.decode(words.joined(separator: " ")) == text)
    }

    @Test("Content-Type parameters: quoted, unquoted with blanks, comments, RFC 2231 continuations with charset")
    func contentType() throws {
        let t = try #require(MIMEHeaderValue.parse("Text/Plain; charset=\"UTF-8\"; format=flowed (comment)"))
        #expect(t.value == "text/plain" && t.parameters["charset"] == "UTF-8" && t.parameters["format"] == "flowed")
        let d = try #require(MIMEHeaderValue.parse("attachment; filename=my file.pdf"))
        #expect(d.value == "attachment" && d.parameters["filename"] == "my file.pdf")
        let c = try #require(MIMEHeaderValue.parse("attachment; filename*0=\"long \"; filename*1*=%E2%82%AC; filename*2=\".txt\""))
        #expect(c.parameters["filename"] == "long €.txt")
        let l = try #require(MIMEHeaderValue.parse("attachment; filename*=iso-8859-1'fr'caf%E9.txt"))
        #expect(l.parameters["filename"] == "café.txt")
        let e = try #require(MIMEHeaderValue.parse("attachment; filename=\"=?UTF-8?B?w6kudHh0?=\""))
        #expect(e.parameters["filename"] == "é.txt")
        #expect(MIMEHeaderValue.parse("  ; x=1") == nil)
    }

    @Test("address lists: quoted names with commas, comments, groups, encoded names, bare and bracketed addresses")
    func addresses() {
        let list = MailAddress.parseList(
            "\"Doe, John\" <john@x.test>, jane@y.test (Jane Roe), team: a@t.test, <b@t.test>;, =?UTF-8?Q?Zo=C3=AB?= <zoe@z.test>, broken")
        #expect(list == [
            MailAddress(name: "Doe, John", address: "john@x.test"), MailAddress(name: "Jane Roe", address: "jane@y.test"),
            MailAddress(address: "a@t.test"), MailAddress(address: "b@t.test"), MailAddress(name: "Zoë", address: "zoe@z.test"),
        ])
        #expect(MailAddress(address: "Ann@Example.TEST").normalized == "ann@example.test")
        #expect(MailAddress(address: "a@b.test").isDeliverable && !MailAddress(address: "a b@c.test").isDeliverable)
        #expect(!MailAddress(address: "nobody").isDeliverable && !MailAddress(address: "x@localhost").isDeliverable)
    }

    @Test("message ids: brackets removed, blanks inside ignored, phrases skipped, a bare id accepted")
    func messageIDs() {
        #expect(MessageIDs.parse("<a@b> <c@d>\r\n <e@f>") == ["a@b", "c@d", "e@f"])
        #expect(MessageIDs.parse("Your message of Monday <x@y>") == ["x@y"])
        #expect(MessageIDs.parse("bare@id.test") == ["bare@id.test"])
        #expect(MessageIDs.parse(nil) == [])
    }

    @Test("dates: zones, obsolete names, two-digit years, comments; nonsense is nil; formatting round-trips")
    func dates() {
        #expect(MailDate.parse("Tue, 1 Jul 2003 10:52:37 +0200") == iso("2003-07-01T08:52:37Z"))
        #expect(MailDate.parse("1 Jul 03 10:52 EST") == iso("2003-07-01T15:52:00Z"))
        #expect(MailDate.parse("Tue, 01 Jul 2003 10:52:37 +0000 (UTC)") == iso("2003-07-01T10:52:37Z"))
        #expect(MailDate.parse("yesterday") == nil)
        #expect(MailDate.parse("1 Jul 99999999999 10:00 +0000") == nil)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        #expect(MailDate.format(now) == "Mon, 30 Nov 2026 00:53:20 +0000")
        #expect(MailDate.parse(MailDate.format(now)) == now)
    }

    @Test("charsets: aliases mail clients use reach iconv; Latin-1 is read as Windows-1252; invalid bytes become U+FFFD")
    func charsets() {
        #expect(Charset.decode([0x80, 0x41][...], charset: "iso-8859-1").text == "€A")
        #expect(Charset.decode([0xA4][...], charset: "ISO-8859-15").text == "€")
        #expect(Charset.decode([0xC8, 0xE0][...], charset: "windows-1251").text == "Иа")
        #expect(Charset.decode([0xB0, 0xA1][...], charset: "gb2312").text == "啊")
        #expect(Charset.decode([0x82, 0xA0][...], charset: "x-sjis").text == "あ")
        #expect(Charset.decode([0x41, 0xFF, 0x42][...], charset: "utf-8").text == "A\u{FFFD}B")
        let unknown = Charset.decode([0x68, 0x69][...], charset: "x-made-up")
        #expect(unknown.text == "hi" && !unknown.known)
    }
}
