/// Chunked transfer coding (RFC 9112 section 7.1).
extension HTTPRequestParser {
    /// Most hex digits a chunk size may have before it could overflow `Int`.
    static let maxChunkSizeDigits = 15

    /// Parses `chunk-size [chunk-ext] CRLF` at `start`; returns the bytes used, or nil
    /// when the line is incomplete. Moves to chunk data, or to trailers on the last chunk.
    mutating func parseChunkSize(_ input: UnsafeRawBufferPointer, from start: Int, received: Int) throws(HTTPParseError) -> Int? {
        guard let lf = input.firstLineFeed(from: start) else {
            if input.count - start > Self.maxChunkLineBytes { throw .malformed("chunk size line too long") }
            return nil
        }
        if lf - start > Self.maxChunkLineBytes { throw .malformed("chunk size line too long") }
        let line = Self.content(input, start, lf)
        var i = line.lowerBound
        var size = 0
        while i < line.upperBound, let digit = hexValue(input[i]) {
            guard i - line.lowerBound < Self.maxChunkSizeDigits else { throw .malformed("chunk size too large") }
            size = size << 4 | Int(digit)
            i += 1
        }
        guard i > line.lowerBound else { throw .malformed("invalid chunk size") }
        try Self.validateChunkExtensions(input, i..<line.upperBound)
        if size == 0 {
            state = .trailers(LineScan())
            return lf + 1 - start
        }
        // Check the limit as soon as the chunk announces its size, before any data.
        guard size <= limits.maxBodyBytes - received else { throw .bodyTooLarge }
        state = .chunkData(remaining: size, received: received + size)
        return lf + 1 - start
    }

    /// `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`: ignored, but
    /// it must start with `;` and hold no control bytes (RFC 9112 section 7.1.1).
    private static func validateChunkExtensions(_ input: UnsafeRawBufferPointer, _ range: Range<Int>) throws(HTTPParseError) {
        let rest = input.trimmingWhitespace(range)
        guard !rest.isEmpty else { return }
        guard input[rest.lowerBound] == HTTPByte.semicolon else { throw .malformed("invalid chunk size") }
        for i in rest where !HTTPByte.isFieldValueChar(input[i]) {
            throw .malformed("invalid chunk extension")
        }
    }

    /// Consumes the CRLF (or bare LF) after chunk data; nil when it has not arrived.
    static func chunkDataEnd(_ input: UnsafeRawBufferPointer, from start: Int) throws(HTTPParseError) -> Int? {
        guard start < input.count else { return nil }
        if input[start] == HTTPByte.lf { return 1 }
        guard input[start] == HTTPByte.cr else { throw .malformed("missing CRLF after chunk data") }
        guard start + 1 < input.count else { return nil }
        guard input[start + 1] == HTTPByte.lf else { throw .malformed("missing CRLF after chunk data") }
        return 2
    }

    /// Checks the field-line syntax of a trailer section (`bytes[..<end]`, ending with
    /// the empty line); trailer fields are then dropped (RFC 9112 section 7.1.2).
    static func validateTrailers(_ bytes: UnsafeRawBufferPointer, end: Int) throws(HTTPParseError) {
        var lineStart = 0
        while lineStart < end, let lf = bytes.firstLineFeed(from: lineStart) {
            let line = content(bytes, lineStart, lf)
            if line.isEmpty { return }
            _ = try parseFieldLine(bytes, line)
            lineStart = lf + 1
        }
    }
}
