/// How a response body is delimited on the wire.
public enum HTTPBodyFraming: Sendable, Equatable {
    /// No body and no length field (1xx, 204, 304; or a close-delimited body).
    case none
    /// `Content-Length: n`.
    case length(Int)
    /// `Transfer-Encoding: chunked`; frame the body with `chunk` and end with `lastChunk`.
    case chunked
}

/// What `writeHead` actually wrote, which the connection must follow.
public struct HTTPWrittenHead: Sendable, Equatable {
    /// The framing to use for the body (may differ from the one asked for).
    public var framing: HTTPBodyFraming
    /// Whether the connection stays open after this response.
    public var keepAlive: Bool
}

/// Writes response heads and chunk framing as bytes (RFC 9112).
public enum HTTPResponseSerializer {
    static let crlf: [UInt8] = [HTTPByte.cr, HTTPByte.lf]
    /// The last chunk with an empty trailer section, ending a chunked body (RFC 9112 section 7.1).
    public static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    /// The product token sent in `Server`.
    public static let serverName = "helpdesk"
    private static let serverField: [UInt8] = Array("Server: \(serverName)\r\n".utf8)
    private static let datePrefix: [UInt8] = Array("Date: ".utf8)
    private static let contentLengthPrefix: [UInt8] = Array("Content-Length: ".utf8)
    private static let chunkedField: [UInt8] = Array("Transfer-Encoding: chunked\r\n".utf8)

    /// The framing a body needs: its length, or chunked for a stream.
    public static func framing(for body: HTTPBody) -> HTTPBodyFraming {
        switch body {
        case .empty: .length(0)
        case .bytes(let bytes): .length(bytes.count)
        case .file(_, _, let length): .length(length)
        case .stream: .chunked
        }
    }

    /// Appends the status line and header fields of `response` to `buffer`, framed for its body.
    /// For a HEAD request pass the response as for GET and send no body (RFC 9110 section 9.3.2).
    @discardableResult
    public static func writeHead(_ response: HTTPResponse, version: HTTPVersion, keepAlive: Bool, date: String, into buffer: inout [UInt8]) -> HTTPWrittenHead {
        writeHead(status: response.status, headers: response.headers, version: version,
                  framing: framing(for: response.body), keepAlive: keepAlive, date: date, into: &buffer)
    }

    /// Appends `HTTP/1.1 status`, `Server`, `Date` (unless given), the caller's fields
    /// (their own Content-Length and Transfer-Encoding are dropped: framing is ours),
    /// the framing field, `Connection` and the blank line to `buffer`.
    ///
    /// - `version`: the request's version. HTTP/1.0 peers get `Connection: keep-alive`
    ///   when kept alive, and a chunked body is turned into a close-delimited one.
    /// - `date`: the IMF-fixdate for `Date`, e.g. from `HTTPDateCache.shared`.
    /// - 1xx, 204 and 304 get no length field (RFC 9110 sections 8.6, 15.3.5, 15.4.5).
    /// A caller-supplied `Connection` field (e.g. `Upgrade` on a 101) replaces ours.
    /// Returns the framing and keep-alive decision the connection must follow.
    @discardableResult
    public static func writeHead(status: HTTPStatus, headers: HTTPHeaders, version: HTTPVersion, framing: HTTPBodyFraming,
                                 keepAlive: Bool, date: String, into buffer: inout [UInt8]) -> HTTPWrittenHead {
        var framing = framing
        var keepAlive = keepAlive
        // One allocation for the whole head instead of regrowing on every field.
        buffer.reserveCapacity(buffer.count + 192 + headers.count * 48)
        if status.code < 200 || status.code == HTTPStatus.noContent.code || status.code == HTTPStatus.notModified.code {
            framing = .none
        } else if framing == .chunked, version == .http1_0 {
            // RFC 9112 section 7: HTTP/1.0 has no chunked coding; the close ends the body.
            framing = .none
            keepAlive = false
        }
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        buffer.append(contentsOf: String(status.code).utf8)
        buffer.append(HTTPByte.space)
        appendSanitized(status.reason, to: &buffer)
        buffer.append(contentsOf: crlf)
        var hasServer = false, hasDate = false, hasConnection = false
        for field in headers {
            if field.name.equalsIgnoringASCIICase("Content-Length") || field.name.equalsIgnoringASCIICase("Transfer-Encoding") { continue }
            if field.name.equalsIgnoringASCIICase("Server") { hasServer = true }
            if field.name.equalsIgnoringASCIICase("Date") { hasDate = true }
            if field.name.equalsIgnoringASCIICase("Connection") {
                hasConnection = true
                if field.value.lowercased().contains("close") { keepAlive = false }
            }
            appendField(field.name, field.value, to: &buffer)
        }
        // Our own fields need no sanitizing: constant names, digits and the formatted date.
        if !hasServer { buffer.append(contentsOf: serverField) }
        if !hasDate {
            buffer.append(contentsOf: datePrefix)
            buffer.append(contentsOf: date.utf8)
            buffer.append(contentsOf: crlf)
        }
        switch framing {
        case .none: break
        case .length(let length):
            buffer.append(contentsOf: contentLengthPrefix)
            buffer.append(contentsOf: String(length).utf8)
            buffer.append(contentsOf: crlf)
        case .chunked: buffer.append(contentsOf: chunkedField)
        }
        if !hasConnection {
            if !keepAlive {
                appendField("Connection", "close", to: &buffer)
            } else if version == .http1_0 {
                appendField("Connection", "keep-alive", to: &buffer)  // RFC 9112 section 9.3
            }
        }
        buffer.append(contentsOf: crlf)
        return HTTPWrittenHead(framing: framing, keepAlive: keepAlive)
    }

    /// One chunk: hex size, CRLF, the bytes, CRLF. Empty input gives no bytes, since an
    /// empty chunk would end the body.
    public static func chunk(_ bytes: some Collection<UInt8>) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        var out = chunkPrefix(length: bytes.count)
        out.reserveCapacity(out.count + bytes.count + 2)
        out.append(contentsOf: bytes)
        out.append(contentsOf: crlf)
        return out
    }

    /// The `size CRLF` that precedes `length` bytes of chunk data (for vectored writes;
    /// follow the data with CRLF).
    public static func chunkPrefix(length: Int) -> [UInt8] {
        Array(String(length, radix: 16, uppercase: true).utf8) + crlf
    }

    private static func appendField(_ name: String, _ value: String, to buffer: inout [UInt8]) {
        appendSanitized(name, to: &buffer)
        buffer.append(contentsOf: ": ".utf8)
        appendSanitized(value, to: &buffer)
        buffer.append(contentsOf: crlf)
    }

    /// Appends `text`, replacing CR, LF and NUL with spaces so that no value can
    /// split the response (RFC 9110 section 5.5).
    private static func appendSanitized(_ text: String, to buffer: inout [UInt8]) {
        // The common case has nothing to replace: copy the UTF-8 in one go.
        let copied = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 == HTTPByte.cr || $0 == HTTPByte.lf || $0 == HTTPByte.nul }) else { return false }
            buffer.append(contentsOf: bytes)
            return true
        }
        if copied == true { return }
        for byte in text.utf8 {
            buffer.append(byte == HTTPByte.cr || byte == HTTPByte.lf || byte == HTTPByte.nul ? HTTPByte.space : byte)
        }
    }
}
