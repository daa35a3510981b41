import Testing
@testable import Realtime

@Suite("HTTPRequestParser framing and limits")
struct HTTPRequestParserFramingTests {
    static let chunkedHead = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    static let expectedHead = Parsed.head(head(.post, "/up", [("Host", "a"), ("Transfer-Encoding", "chunked")]))

    @Test("A chunked body with extensions and trailers is decoded (RFC 9112 section 7)")
    func chunked() {
        let text = Self.chunkedHead + "4;name=value;q=\"x y\"\r\nWiki\r\n5 ; ext\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0;last\r\nExpires: never\r\nX-Sum: 1\r\n\r\n"
        let expected: [Parsed] = [Self.expectedHead, .body("Wikipedia in\r\n\r\nchunks."), .end]
        #expect(parse(text) == .success(expected))
        #expect(parseByteAtATime(text) == .success(expected))
    }

    @Test("A chunked body without trailers, pipelined with the next request")
    func chunkedPipelined() {
        let text = Self.chunkedHead + "3\r\nabc\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(parse(text) == .success([Self.expectedHead, .body("abc"), .end, .head(head(.get, "/", [("Host", "a")])), .end]))
    }

    @Test("Chunked coding names are case-insensitive and list elements may be empty")
    func chunkedSpelling() {
        let text = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , CHUNKED\r\n\r\n0\r\n\r\n"
        #expect(parse(text) == .success([.head(head(.post, "/", [("Host", "a"), ("Transfer-Encoding", ", CHUNKED")])), .end]))
    }

    @Test("Bad chunk sizes and missing chunk CRLF get 400")
    func badChunks() {
        for body in ["x\r\n", "-1\r\n", "0x5\r\nhello\r\n", "5 5\r\n", "\r\n", "5\r\nhelloXY", "5\r\nhello\rX", "5;a\u{1}\r\n",
                     "1000000000000000\r\n", "FFFFFFFFFFFFFFFFF\r\n", "0\r\nBad Trailer: x\r\n\r\n", "0\r\n folded\r\n\r\n"] {
            #expect(parseError(Self.chunkedHead + body)?.status == .badRequest, "\(body)")
        }
    }

    @Test("Each request smuggling shape is refused with 400")
    func smuggling() {
        let prefix = "POST / HTTP/1.1\r\nHost: a\r\n"
        let shapes = [
            "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
            "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
            "Content-Length: 5\r\nContent-Length: 6\r\n",
            "Content-Length: 5, 6\r\n",
            "Content-Length: +5\r\n",
            "Content-Length: -5\r\n",
            "Content-Length: 5 5\r\n",
            "Content-Length: 0x5\r\n",
            "Content-Length: \r\n",
            "Content-Length: 99999999999999999999999\r\n",
            "Transfer-Encoding: chunked, chunked\r\n",
            "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
            "Transfer-Encoding: chunked, gzip\r\n",
            "Transfer-Encoding: gzip\r\n",
            "Transfer-Encoding: identity\r\n",
            "Transfer-Encoding: chunked;q=1\r\n",
            "Transfer-Encoding: xchunked\r\n",
            "Transfer-Encoding: \r\n",
            "Transfer-Encoding : chunked\r\n",
            "Content-Length : 5\r\n",
        ]
        for shape in shapes {
            #expect(parseError(prefix + shape + "\r\nhello")?.status == .badRequest, "\(shape)")
        }
        #expect(parseError("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") == .malformed("Transfer-Encoding in an HTTP/1.0 request"))
    }

    @Test("Transfer codings before a final chunked get 501")
    func unsupportedCoding() {
        let error = parseError("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
        #expect(error == .unsupportedTransferCoding && error?.status.code == 501)
    }

    @Test("A declared body over the limit gets 413 at the head, before any body byte")
    func declaredBodyTooLarge() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        #expect(parseError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: limits) == .bodyTooLarge)
        #expect(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits) == .success([
            .head(head(.post, "/", [("Host", "a"), ("Content-Length", "10")])), .body("0123456789"), .end,
        ]))
        #expect(HTTPParseError.bodyTooLarge.status.code == 413)
    }

    @Test("Chunks summing over the limit get 413 when the size line arrives")
    func chunkedBodyTooLarge() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        #expect(parseError(Self.chunkedHead + "8\r\n12345678\r\n3\r\n", limits: limits) == .bodyTooLarge)
        #expect(parseError(Self.chunkedHead + "7FFFFFFFFFFFFFF\r\n", limits: limits) == .bodyTooLarge)
    }

    @Test("The default body limit admits a 10 MB attachment")
    func defaultBodyLimit() {
        #expect(HTTPParserLimits().maxBodyBytes >= 10_000_000 + 64 * 1024)
    }

    @Test("A head over maxHeaderBytes gets 431 even before it ends")
    func headerTooLarge() {
        let limits = HTTPParserLimits(maxHeaderBytes: 64)
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Pad: " + String(repeating: "p", count: 60)
        #expect(parseError(big, limits: limits) == .headerTooLarge)
        #expect(parseError(big + "\r\n\r\n", limits: limits) == .headerTooLarge)
        #expect(HTTPParseError.headerTooLarge.status.code == 431)
        let exact = "GET / HTTP/1.1\r\nHost: a\r\n" + "X: " + String(repeating: "p", count: 32) + "\r\n\r\n"
        #expect(exact.utf8.count == 64)
        #expect(parseError(exact, limits: limits) == nil)
    }

    @Test("A request line over maxHeaderBytes gets 414")
    func uriTooLong() {
        let limits = HTTPParserLimits(maxHeaderBytes: 64)
        #expect(parseError("GET /" + String(repeating: "a", count: 100), limits: limits) == .uriTooLong)
        #expect(HTTPParseError.uriTooLong.status.code == 414)
    }

    @Test("More than maxHeaderCount fields get 431")
    func tooManyHeaders() {
        let limits = HTTPParserLimits(maxHeaderCount: 3)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n", limits: limits) == nil)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n", limits: limits) == .tooManyHeaders)
        #expect(HTTPParseError.tooManyHeaders.status.code == 431)
    }

    @Test("Trailer sections are bounded by maxHeaderBytes")
    func trailerTooLarge() {
        let limits = HTTPParserLimits(maxHeaderBytes: 80)
        #expect(parseError(Self.chunkedHead + "0\r\nX: " + String(repeating: "t", count: 100), limits: limits) == .headerTooLarge)
    }

    @Test("After an error every call throws the same error")
    func errorsAreSticky() {
        var parser = HTTPRequestParser()
        let bad = Array("GET / HTTP/3.0\r\n\r\n".utf8)
        let good = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(throws: HTTPParseError.unsupportedVersion) { try bad.withUnsafeBytes { try parser.next($0) } }
        #expect(throws: HTTPParseError.unsupportedVersion) { try good.withUnsafeBytes { try parser.next($0) } }
    }

    @Test("An incomplete head consumes nothing and reports nil")
    func incompleteHead() throws {
        var parser = HTTPRequestParser()
        let partial = Array("GET / HTTP/1.1\r\nHost: a\r\n".utf8)
        let result = try partial.withUnsafeBytes { try parser.next($0) }
        #expect(result.event == nil && result.consumed == 0)
    }
}
