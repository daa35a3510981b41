/// What the parser reports, one event per call.
public enum HTTPParserEvent: Equatable, Sendable {
    /// The request line and header fields.
    case head(HTTPRequestHead)
    /// Body bytes: indices INSIDE the input buffer given to this call (no copy).
    case body(Range<Int>)
    /// The message is complete; the parser is ready for the next pipelined request.
    case end
}

/// An incremental HTTP/1.1 request parser (RFC 9112): a pure value type without I/O.
///
/// The connection keeps the unconsumed bytes and calls `next` in a loop:
/// ```
/// while true {
///     let (event, consumed) = try parser.next(buffer)
///     // use event (body ranges index `buffer`), then drop `consumed` bytes
///     if event == nil { break }   // wait for more data
/// }
/// ```
/// Any thrown error is final: answer with `error.status` and close the connection.
public struct HTTPRequestParser: Sendable {
    /// Where the parser is within the current message; cases carry the progress so far.
    enum State: Sendable {
        /// Looking for the end of the request head.
        case head(LineScan)
        /// In a Content-Length body with `remaining` bytes to go.
        case body(remaining: Int)
        /// Expecting a chunk-size line; `received` body bytes so far (RFC 9112 section 7.1).
        case chunkSize(received: Int)
        /// Inside chunk data.
        case chunkData(remaining: Int, received: Int)
        /// Expecting the CRLF that closes chunk data.
        case chunkDataEnd(received: Int)
        /// Looking for the end of the trailer section (RFC 9112 section 7.1.2).
        case trailers(LineScan)
        /// The message is complete; `.end` is reported next.
        case messageEnd
        /// A previous call failed; the same error is thrown again.
        case failed(HTTPParseError)
    }

    /// Longest chunk-size line including extensions; extensions are ignored anyway.
    static let maxChunkLineBytes = 4 * 1024

    let limits: HTTPParserLimits
    var state: State = .head(LineScan())
    /// The Content-Length of the message being parsed, if it declared one
    /// (for early 413 and `Expect: 100-continue` decisions). Nil again after `.end`.
    public internal(set) var expectedBodyLength: Int?

    /// A parser at the start of a request.
    public init(limits: HTTPParserLimits = .init()) {
        self.limits = limits
    }

    /// Parses the next event from `input` (the unconsumed bytes the connection holds).
    ///
    /// Returns the event (nil = need more data) and how many bytes of `input` were
    /// consumed; `consumed` may be non-zero even when the event is nil (framing bytes).
    /// The caller drops `consumed` bytes and calls again until the event is nil.
    /// Throws `HTTPParseError` on a protocol violation or exceeded limit; every later
    /// call throws the same error.
    public mutating func next(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: HTTPParserEvent?, consumed: Int) {
        do {
            return try step(input)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: HTTPParserEvent?, consumed: Int) {
        var offset = 0
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .messageEnd:
                state = .head(LineScan())
                expectedBodyLength = nil
                return (.end, offset)
            case .head(var scan):
                // RFC 9112 section 2.2: ignore empty lines before the request line.
                if scan.lines == 0 {
                    let skipped = Self.leadingEmptyLines(input, from: offset)
                    // A lone CR scanned last time may have been half of such a line.
                    if skipped > 0 { offset += skipped; scan = LineScan() }
                }
                let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
                guard let headEnd = try scan.findEnd(rest, isHead: true, limits: limits) else {
                    state = .head(scan)
                    return (nil, offset)
                }
                let head = try parseHead(rest, lineCount: scan.lines, end: headEnd)
                return (.head(head), offset + headEnd)
            case .body(let remaining):
                let available = min(remaining, input.count - offset)
                guard available > 0 else { return (nil, offset) }
                state = remaining == available ? .messageEnd : .body(remaining: remaining - available)
                return (.body(offset..<offset + available), offset + available)
            case .chunkSize(let received):
                guard let used = try parseChunkSize(input, from: offset, received: received) else { return (nil, offset) }
                offset += used
            case .chunkData(let remaining, let received):
                let available = min(remaining, input.count - offset)
                guard available > 0 else { return (nil, offset) }
                state = remaining == available
                    ? .chunkDataEnd(received: received)
                    : .chunkData(remaining: remaining - available, received: received)
                return (.body(offset..<offset + available), offset + available)
            case .chunkDataEnd(let received):
                guard let used = try Self.chunkDataEnd(input, from: offset) else { return (nil, offset) }
                offset += used
                state = .chunkSize(received: received)
            case .trailers(var scan):
                let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
                guard let end = try scan.findEnd(rest, isHead: false, limits: limits) else {
                    state = .trailers(scan)
                    return (nil, offset)
                }
                try Self.validateTrailers(rest, end: end)
                offset += end
                state = .messageEnd
            }
        }
    }

    /// The number of bytes of complete empty lines (CRLF or LF) starting at `start`.
    private static func leadingEmptyLines(_ input: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i < input.count {
            if input[i] == HTTPByte.lf {
                i += 1
            } else if input[i] == HTTPByte.cr, i + 1 < input.count, input[i + 1] == HTTPByte.lf {
                i += 2
            } else {
                break
            }
        }
        return i - start
    }
}

/// Incremental search for the empty line that ends a header or trailer section.
///
/// Offsets are relative to the section's first byte, which stays at the start of the
/// caller's buffer until the section is consumed, so a resumed scan never rereads bytes.
struct LineScan: Sendable, Equatable {
    /// Bytes already searched for line feeds.
    var scanned = 0
    /// Start of the line being scanned.
    var lineStart = 0
    /// Complete non-empty lines seen so far.
    var lines = 0

    /// Returns the index just past the terminating empty line, or nil when more data is needed.
    /// Enforces `maxHeaderBytes` and `maxHeaderCount` before the section is complete
    /// (RFC 9112 section 2.3 lets a server refuse oversized sections).
    mutating func findEnd(_ bytes: UnsafeRawBufferPointer, isHead: Bool, limits: HTTPParserLimits) throws(HTTPParseError) -> Int? {
        let fieldLines = { (lines: Int) in isHead ? lines - 1 : lines }
        while let lf = bytes.firstLineFeed(from: scanned) {
            scanned = lf + 1
            if lf + 1 > limits.maxHeaderBytes { throw lines == 0 && isHead ? .uriTooLong : .headerTooLarge }
            let length = lf - lineStart
            if length == 0 || (length == 1 && bytes[lineStart] == HTTPByte.cr) { return lf + 1 }
            lines += 1
            lineStart = lf + 1
            if fieldLines(lines) > limits.maxHeaderCount { throw .tooManyHeaders }
        }
        scanned = bytes.count
        if bytes.count > limits.maxHeaderBytes { throw lines == 0 && isHead ? .uriTooLong : .headerTooLarge }
        return nil
    }
}
