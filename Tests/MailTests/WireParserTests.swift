import Testing
@testable import Mail

@Suite struct IMAPResponseParserTests {
    private func parse(_ s: String) throws -> IMAPResponse { try IMAPResponseParser.parse(Array(s.utf8)) }

    @Test("tagged and untagged status responses carry their response code and text")
    func status() throws {
        #expect(try parse("A1 OK [READ-WRITE] SELECT completed") == .tagged(tag: "A1", status: .ok, code: "READ-WRITE", text: "SELECT completed"))
        #expect(try parse("* OK [UIDVALIDITY 3857529045] UIDs valid") == .status(.ok, code: "UIDVALIDITY 3857529045", text: "UIDs valid"))
        #expect(try parse("A2 NO [AUTHENTICATIONFAILED] Authentication failed.")
                == .tagged(tag: "A2", status: .no, code: "AUTHENTICATIONFAILED", text: "Authentication failed."))
        #expect(try parse("+ idling") == .continuation("idling"))
    }

    @Test("FETCH with a literal body, flags and a BODY[] section keeps the literal's bytes exactly")
    func fetchLiteral() throws {
        let body = "Subject: x\r\n\r\n) tricky ( \"body\""
        let response = try parse("* 3 FETCH (UID 42 FLAGS (\\Seen $Label) BODY[] {\(body.utf8.count)}\r\n\(body))")
        let items = IMAPClient.fetchItems(response)
        #expect(items["UID"] == .atom("42"))
        #expect(items["FLAGS"] == .list([.atom("\\Seen"), .atom("$Label")]))
        #expect(items["BODY[]"] == .string(Array(body.utf8)))
    }

    @Test("SEARCH, EXISTS, quoted strings with escapes and NIL")
    func data() throws {
        #expect(try parse("* SEARCH 2 84 882") == .data(number: nil, keyword: "SEARCH", values: [.atom("2"), .atom("84"), .atom("882")]))
        #expect(try parse("* 172 EXISTS") == .data(number: 172, keyword: "EXISTS", values: []))
        #expect(try parse("* LIST (\\HasNoChildren) \"/\" \"a \\\"b\\\"\"")
                == .data(number: nil, keyword: "LIST", values: [.list([.atom("\\HasNoChildren")]), .string(Array("/".utf8)), .string(Array("a \"b\"".utf8))]))
        #expect(try parse("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT)] NIL)")
                == .data(number: 1, keyword: "FETCH", values: [.list([.atom("BODY[HEADER.FIELDS (SUBJECT)]"), .nil_])]))
    }

    @Test("malformed responses are protocol errors: unbalanced lists, short literals, deep nesting, a bare tag")
    func malformed() {
        for bad in ["* 1 FETCH (UID 1", "* 1 FETCH (BODY[] {10}\r\nabc)", "A1", "A1 MAYBE done",
                    "* X " + String(repeating: "(", count: 100)] {
            #expect(throws: MailConnectionError.self) { try IMAPResponseParser.parse(Array(bad.utf8)) }
        }
    }

    @Test("literal lengths are found at the end of a line, with or without '+'; UID sets compress runs")
    func helpers() {
        #expect(IMAPClient.literalLength(atEndOf: Array("* 1 FETCH (BODY[] {123}".utf8)) == 123)
        #expect(IMAPClient.literalLength(atEndOf: Array("A1 LOGIN {5+}".utf8)) == 5)
        #expect(IMAPClient.literalLength(atEndOf: Array("* OK {not}".utf8)) == nil)
        #expect(IMAPClient.uidSet([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10")
        #expect(ModifiedUTF7.encode("Taken & Done") == "Taken &- Done")
        #expect(ModifiedUTF7.encode("Hotovo/Vyřízeno") == "Hotovo/Vy&AVkA7Q-zeno")
    }
}

@Suite struct SMTPWireTests {
    @Test("multi-line replies accumulate until the line with a space; malformed or code-changing lines are refused")
    func replies() throws {
        var partial: (code: Int?, lines: [String]) = (nil, [])
        #expect(try !SMTPReply.accumulate(Array("250-mx.test Hello".utf8), into: &partial))
        #expect(try SMTPReply.accumulate(Array("250 STARTTLS".utf8), into: &partial))
        #expect(partial.code == 250 && partial.lines == ["mx.test Hello", "STARTTLS"])
        var other: (code: Int?, lines: [String]) = (nil, [])
        #expect(throws: MailConnectionError.self) { try SMTPReply.accumulate(Array("hello".utf8), into: &other) }
        _ = try SMTPReply.accumulate(Array("250-a".utf8), into: &other)
        #expect(throws: MailConnectionError.self) { try SMTPReply.accumulate(Array("251 b".utf8), into: &other) }
    }

    @Test("DATA dot-stuffing doubles leading dots, turns bare LF into CRLF and ends with CRLF.CRLF")
    func dotStuffing() {
        #expect(String(decoding: SMTPClient.dotStuffed(Array(".a\r\nb\n..c".utf8)), as: UTF8.self) == "..a\r\nb\r\n...c\r\n.\r\n")
        #expect(String(decoding: SMTPClient.dotStuffed(Array("x\r\n".utf8)), as: UTF8.self) == "x\r\n.\r\n")
    }

    @Test("errors say whether retrying can help: 4xx and connection trouble are temporary, 5xx and bad credentials permanent")
    func permanence() {
        #expect(!MailConnectionError(.rejected, "x", replyCode: 451).isPermanent)
        #expect(MailConnectionError(.rejected, "x", replyCode: 550).isPermanent)
        #expect(!MailConnectionError(.timeout, "x").isPermanent && MailConnectionError(.authentication, "x").isPermanent)
    }
}
