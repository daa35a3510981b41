import Testing
@testable import Realtime

@Suite("HTTPRequestParser")
struct HTTPRequestParserTests {
    @Test("A simple GET gives its head then end")
    func simpleGet() {
        let result = parse("GET /tickets?status=open HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(result == .success([.head(head(.get, "/tickets?status=open", [("Host", "example.com"), ("Accept", "*/*")])), .end]))
    }

    @Test("Header values lose surrounding whitespace and keep inner spaces")
    func valueTrimming() {
        let result = parse("GET / HTTP/1.1\r\nHost:a\r\nX-Note: \t two  words \t\r\n\r\n")
        #expect(result == .success([.head(head(.get, "/", [("Host", "a"), ("X-Note", "two  words")])), .end]))
    }

    @Test("HTTP/1.0 without Host is accepted")
    func http10() {
        #expect(parse("GET / HTTP/1.0\r\n\r\n") == .success([.head(head(.get, "/", .http1_0, [])), .end]))
    }

    @Test("HEAD and unknown token methods are parsed")
    func methods() {
        #expect(parse("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n") == .success([.head(head(.head, "/", [("Host", "a")])), .end]))
        #expect(parse("PURGE / HTTP/1.1\r\nHost: a\r\n\r\n") == .success([.head(head(.other("PURGE"), "/", [("Host", "a")])), .end]))
    }

    @Test("Bare LF line endings are accepted")
    func bareLineFeeds() {
        #expect(parse("GET / HTTP/1.1\nHost: a\n\n") == .success([.head(head(.get, "/", [("Host", "a")])), .end]))
    }

    @Test("Empty lines before the request line are ignored (RFC 9112 section 2.2)")
    func leadingEmptyLines() {
        #expect(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") == .success([.head(head(.get, "/", [("Host", "a")])), .end]))
        let split = parse([Array("\r".utf8), Array("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)])
        #expect(split == .success([.head(head(.get, "/", [("Host", "a")])), .end]))
    }

    @Test("Pipelined requests in one buffer parse one after another")
    func pipelining() {
        let text = "GET /a HTTP/1.1\r\nHost: a\r\n\r\nPOST /b HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyzGET /c HTTP/1.1\r\nHost: a\r\n\r\n"
        let expected: [Parsed] = [
            .head(head(.get, "/a", [("Host", "a")])), .end,
            .head(head(.post, "/b", [("Host", "a"), ("Content-Length", "3")])), .body("xyz"), .end,
            .head(head(.get, "/c", [("Host", "a")])), .end,
        ]
        #expect(parse(text) == .success(expected))
        #expect(parseByteAtATime(text) == .success(expected))
    }

    @Test("A Content-Length body arrives as ranges inside the input")
    func contentLengthBody() {
        let text = "POST /t HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world"
        let expected: [Parsed] = [.head(head(.post, "/t", [("Host", "a"), ("Content-Length", "11")])), .body("hello world"), .end]
        #expect(parse(text) == .success(expected))
        #expect(parseByteAtATime(text) == .success(expected))
    }

    @Test("Body ranges index the buffer given to the call")
    func bodyRangeIndices() throws {
        var parser = HTTPRequestParser()
        let bytes = Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi".utf8)
        let first = try bytes.withUnsafeBytes { try parser.next($0) }
        #expect(first.consumed == bytes.count - 2)
        #expect(parser.expectedBodyLength == 2)
        let rest = Array(bytes[first.consumed...])
        let second = try rest.withUnsafeBytes { try parser.next($0) }
        #expect(second.event == .body(0..<2) && second.consumed == 2)
        let third = try [UInt8]().withUnsafeBytes { try parser.next($0) }
        #expect(third.event == .end && third.consumed == 0)
        #expect(parser.expectedBodyLength == nil)
    }

    @Test("Content-Length: 0 gives head then end")
    func zeroLength() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n") == .success([.head(head(.post, "/", [("Host", "a"), ("Content-Length", "0")])), .end]))
    }

    @Test("Identical repeated Content-Length values are accepted")
    func repeatedContentLength() {
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok") == .success([
            .head(head(.post, "/", [("Host", "a"), ("Content-Length", "2"), ("Content-Length", "2, 2")])), .body("ok"), .end,
        ]))
    }

    @Test("Absolute-form targets become origin form and set Host (RFC 9112 section 3.2.2)")
    func absoluteForm() {
        #expect(parse("GET http://example.com:8080/x?y=1 HTTP/1.1\r\nHost: other\r\n\r\n") == .success([.head(head(.get, "/x?y=1", [("Host", "example.com:8080")])), .end]))
        #expect(parse("GET https://example.com HTTP/1.1\r\nHost: x\r\n\r\n") == .success([.head(head(.get, "/", [("Host", "example.com")])), .end]))
    }

    @Test("Asterisk form is accepted for OPTIONS only")
    func asteriskForm() {
        #expect(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") == .success([.head(head(.options, "*", [("Host", "a")])), .end]))
        #expect(parseError("GET * HTTP/1.1\r\nHost: a\r\n\r\n")?.status == .badRequest)
    }

    @Test("Versions other than 1.0 and 1.1 get 505, garbage versions 400")
    func versions() {
        #expect(parseError("GET / HTTP/2.0\r\nHost: a\r\n\r\n") == .unsupportedVersion)
        #expect(parseError("GET / HTTP/0.9\r\n\r\n") == .unsupportedVersion)
        #expect(parseError("GET / http/1.1\r\n\r\n") == .malformed("invalid HTTP version"))
        #expect(parseError("GET / HTTP/1.10\r\nHost: a\r\n\r\n") == .malformed("invalid HTTP version"))
        #expect(parseError("GET /\r\n\r\n") == .malformed("invalid request line"))
        #expect(HTTPParseError.unsupportedVersion.status.code == 505)
    }

    @Test("Malformed request lines get 400")
    func badRequestLines() {
        for line in ["GET  / HTTP/1.1", "GET / HTTP/1.1 ", "G(T / HTTP/1.1", " GET / HTTP/1.1", "GET /a b HTTP/1.1",
                     "GET /#frag HTTP/1.1", "GET relative HTTP/1.1", "GET /\u{7F} HTTP/1.1", "GET /\r HTTP/1.1"] {
            #expect(parseError(line + "\r\nHost: a\r\n\r\n")?.status == .badRequest, "\(line)")
        }
    }

    @Test("Header field syntax violations get 400 (RFC 9112 section 5)")
    func badFields() {
        #expect(parseError("GET / HTTP/1.1\r\nHost : a\r\n\r\n") == .malformed("whitespace before colon"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  folded\r\n\r\n") == .malformed("obsolete line folding"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tfolded\r\n\r\n") == .malformed("obsolete line folding"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A b\r\n\r\n") == .malformed("whitespace before colon"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX[A]: b\r\n\r\n") == .malformed("invalid header field name"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n") == .malformed("empty header field name"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\0c\r\n\r\n") == .malformed("invalid character in header field value"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n") == .malformed("invalid character in header field value"))
    }

    @Test("HTTP/1.1 needs exactly one Host (RFC 9112 section 3.2)")
    func host() {
        #expect(parseError("GET / HTTP/1.1\r\n\r\n") == .malformed("missing Host field"))
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == .malformed("more than one Host field"))
    }
}
