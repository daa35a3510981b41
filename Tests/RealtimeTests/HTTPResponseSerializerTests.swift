import Testing
@testable import Realtime

@Suite("HTTPResponseSerializer")
struct HTTPResponseSerializerTests {
    static let date = "Sun, 06 Nov 1994 08:49:37 GMT"

    func written(_ status: HTTPStatus, _ fields: [(String, String)] = [], version: HTTPVersion = .http1_1,
                 framing: HTTPBodyFraming, keepAlive: Bool = true) -> (String, HTTPWrittenHead) {
        var buffer: [UInt8] = []
        let head = HTTPResponseSerializer.writeHead(status: status, headers: HTTPHeaders(fields), version: version,
                                                    framing: framing, keepAlive: keepAlive, date: Self.date, into: &buffer)
        return (String(decoding: buffer, as: UTF8.self), head)
    }

    @Test("A keep-alive 200 gets Server, Date, the caller's fields and Content-Length")
    func ok() {
        let (text, head) = written(.ok, [("Content-Type", "text/plain")], framing: .length(5))
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nServer: helpdesk\r\nDate: \(Self.date)\r\nContent-Length: 5\r\n\r\n")
        #expect(head == HTTPWrittenHead(framing: .length(5), keepAlive: true))
    }

    @Test("Not keeping alive adds Connection: close; HTTP/1.0 keep-alive says so")
    func connection() {
        #expect(written(.ok, framing: .length(0), keepAlive: false).0.contains("\r\nConnection: close\r\n"))
        #expect(written(.ok, version: .http1_0, framing: .length(0)).0.contains("\r\nConnection: keep-alive\r\n"))
        #expect(!written(.ok, framing: .length(0)).0.contains("Connection"))
    }

    @Test("Streams are chunked; HTTP/1.0 gets a close-delimited body instead")
    func chunked() {
        #expect(written(.ok, framing: .chunked).0.contains("\r\nTransfer-Encoding: chunked\r\n"))
        let (text, head) = written(.ok, version: .http1_0, framing: .chunked)
        #expect(!text.contains("Transfer-Encoding") && text.contains("Connection: close"))
        #expect(head == HTTPWrittenHead(framing: .none, keepAlive: false))
    }

    @Test("1xx, 204 and 304 carry no length field")
    func noBodyStatuses() {
        for status in [HTTPStatus.switchingProtocols, .noContent, .notModified] {
            let (text, head) = written(status, [("Content-Length", "9")], framing: .length(9))
            #expect(!text.contains("Content-Length") && head.framing == .none, "\(status)")
        }
    }

    @Test("A 101 keeps the caller's Connection: Upgrade")
    func upgrade() {
        let (text, _) = written(.switchingProtocols, [("Upgrade", "websocket"), ("Connection", "Upgrade")], framing: .none)
        #expect(text == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nServer: helpdesk\r\nDate: \(Self.date)\r\n\r\n")
    }

    @Test("CR and LF in header values cannot split the response")
    func noSplitting() {
        let (text, _) = written(.ok, [("X-A", "a\r\nSet-Cookie: x=1")], framing: .length(0))
        #expect(text.contains("X-A: a  Set-Cookie: x=1\r\n"))
    }

    @Test("The response overload frames by body")
    func responseOverload() {
        var buffer: [UInt8] = []
        let head = HTTPResponseSerializer.writeHead(.text("hello"), version: .http1_1, keepAlive: true, date: Self.date, into: &buffer)
        #expect(head.framing == .length(5))
        #expect(HTTPResponseSerializer.framing(for: .file(path: "/x", offset: 0, length: 7)) == .length(7))
    }

    @Test("Chunks are framed in hex and the last chunk ends the body")
    func chunks() {
        #expect(HTTPResponseSerializer.chunk(Array(repeating: UInt8(ascii: "a"), count: 26)) == Array(("1A\r\n" + String(repeating: "a", count: 26) + "\r\n").utf8))
        #expect(HTTPResponseSerializer.chunk([UInt8]()) == [])
        #expect(HTTPResponseSerializer.lastChunk == Array("0\r\n\r\n".utf8))
    }

    @Test("Dates are IMF-fixdate (RFC 9110 section 5.6.7)")
    func dates() {
        #expect(HTTPDate.format(epochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: 951_782_400) == "Tue, 29 Feb 2000 00:00:00 GMT")
        #expect(HTTPDate.format(epochSeconds: 1_798_761_599) == "Thu, 31 Dec 2026 23:59:59 GMT")
        let cache = HTTPDateCache()
        #expect(cache.string(epochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(cache.string(epochSeconds: 1) == "Thu, 01 Jan 1970 00:00:01 GMT")
    }
}
