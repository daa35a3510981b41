extension HTTPRequestParser {
    /// Parses a complete head (`bytes[..<end]`, ending with the empty line), decides
    /// the body framing and moves the state past the head.
    mutating func parseHead(_ bytes: UnsafeRawBufferPointer, lineCount: Int, end: Int) throws(HTTPParseError) -> HTTPRequestHead {
        var lineEnd = bytes.firstLineFeed(from: 0) ?? end
        let requestLine = try RequestLine(bytes, Self.content(bytes, 0, lineEnd))
        var headers = HTTPHeaders()
        headers.reserveCapacity(lineCount - 1)
        var framing = FramingFields()
        var lineStart = lineEnd + 1
        while lineStart < end, let lf = bytes.firstLineFeed(from: lineStart) {
            lineEnd = lf
            let content = Self.content(bytes, lineStart, lineEnd)
            if content.isEmpty { break }
            let (name, value) = try Self.parseFieldLine(bytes, content)
            try framing.note(bytes, name: name, value: value)
            headers.add(bytes.string(name), bytes.string(value))
            lineStart = lf + 1
        }
        if let authority = requestLine.absoluteAuthority {
            // RFC 9112 section 3.2.2: the target's authority replaces any Host field.
            headers.set("Host", authority)
        }
        try decideFraming(framing, version: requestLine.version)
        return HTTPRequestHead(method: requestLine.method, target: requestLine.target, version: requestLine.version, headers: headers)
    }

    /// The line `start..<lf` without its optional trailing CR (RFC 9112 section 2.2 lets
    /// a recipient accept a bare LF as the line terminator).
    @inline(__always)
    static func content(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ lf: Int) -> Range<Int> {
        lf > start && bytes[lf - 1] == HTTPByte.cr ? start..<(lf - 1) : start..<lf
    }

    /// Splits a field line into name and trimmed value, enforcing RFC 9112 section 5
    /// and RFC 9110 section 5.5.
    static func parseFieldLine(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(HTTPParseError) -> (name: Range<Int>, value: Range<Int>) {
        // RFC 9112 section 5.2: a server may reject obs-fold with 400.
        if HTTPByte.isWhitespace(bytes[line.lowerBound]) { throw .malformed("obsolete line folding") }
        var i = line.lowerBound
        while i < line.upperBound, HTTPByte.isTokenChar(bytes[i]) { i += 1 }
        guard i < line.upperBound, bytes[i] == HTTPByte.colon else {
            // RFC 9112 section 5.1: no whitespace between field name and colon.
            if i < line.upperBound, HTTPByte.isWhitespace(bytes[i]) { throw .malformed("whitespace before colon") }
            throw .malformed("invalid header field name")
        }
        guard i > line.lowerBound else { throw .malformed("empty header field name") }
        let value = bytes.trimmingWhitespace((i + 1)..<line.upperBound)
        for j in value where !HTTPByte.isFieldValueChar(bytes[j]) {
            // RFC 9110 section 5.5: CR, LF and NUL in values must be rejected.
            throw .malformed("invalid character in header field value")
        }
        return (line.lowerBound..<i, value)
    }

    /// Checks Host and the body framing fields and moves to the body state.
    private mutating func decideFraming(_ framing: FramingFields, version: HTTPVersion) throws(HTTPParseError) {
        // RFC 9112 section 3.2: exactly one Host in HTTP/1.1, never more than one.
        if framing.hostCount > 1 { throw .malformed("more than one Host field") }
        if version == .http1_1, framing.hostCount == 0 { throw .malformed("missing Host field") }
        if framing.transferEncodingSeen {
            // RFC 9112 section 6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if version == .http1_0 { throw .malformed("Transfer-Encoding in an HTTP/1.0 request") }
            // RFC 9112 section 6.1 and 6.3: both length fields is a smuggling attempt.
            if framing.contentLength != nil { throw .malformed("both Content-Length and Transfer-Encoding") }
            // RFC 9112 section 6.3 rule 4: chunked must be the final coding, applied once.
            guard framing.lastCodingIsChunked, framing.chunkedCount == 1 else {
                throw .malformed("chunked is not the final transfer coding")
            }
            // RFC 9112 section 6.1: other codings we do not implement get 501.
            if framing.otherCodingSeen { throw .unsupportedTransferCoding }
            expectedBodyLength = nil
            state = .chunkSize(received: 0)
        } else if let length = framing.contentLength {
            if length > limits.maxBodyBytes { throw .bodyTooLarge }
            expectedBodyLength = length
            state = length == 0 ? .messageEnd : .body(remaining: length)
        } else {
            // RFC 9112 section 6.3 rule 6: a request without either has no body.
            expectedBodyLength = nil
            state = .messageEnd
        }
    }
}
