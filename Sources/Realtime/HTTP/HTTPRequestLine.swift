/// The parsed request line (RFC 9112 section 3).
struct RequestLine {
    static let versionLength = 8  // "HTTP/1.1"

    var method: HTTPMethod
    /// The target in origin form (absolute form is rewritten to its path and query).
    var target: String
    var version: HTTPVersion
    /// The authority of an absolute-form target, which replaces Host.
    var absoluteAuthority: String?

    /// Parses `method SP request-target SP HTTP-version` from `bytes[line]` (no CRLF).
    init(_ bytes: UnsafeRawBufferPointer, _ line: Range<Int>) throws(HTTPParseError) {
        var i = line.lowerBound
        while i < line.upperBound, HTTPByte.isTokenChar(bytes[i]) { i += 1 }
        guard i > line.lowerBound, i < line.upperBound, bytes[i] == HTTPByte.space else {
            throw .malformed("invalid request method")
        }
        let methodRange = line.lowerBound..<i
        let targetStart = i + 1
        i = targetStart
        while i < line.upperBound, bytes[i] != HTTPByte.space {
            // RFC 9112 section 3.2: a target is visible ASCII and carries no fragment.
            guard HTTPByte.isVisible(bytes[i]), bytes[i] != HTTPByte.hash else { throw .malformed("invalid request target") }
            i += 1
        }
        guard i > targetStart, i < line.upperBound else { throw .malformed("invalid request line") }
        let targetRange = targetStart..<i
        version = try Self.version(bytes, (i + 1)..<line.upperBound)
        method = Self.method(bytes, methodRange)
        (target, absoluteAuthority) = try Self.target(bytes, targetRange, method: method)
    }

    /// RFC 9112 section 2.3: `HTTP/` DIGIT `.` DIGIT, case-sensitive; 1.0 and 1.1 only.
    private static func version(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(HTTPParseError) -> HTTPVersion {
        if bytes.equals(range, "HTTP/1.1") { return .http1_1 }
        if bytes.equals(range, "HTTP/1.0") { return .http1_0 }
        let isDigit = { (c: UInt8) in c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        let s = range.lowerBound
        guard range.count == versionLength, bytes.equals(s..<(s + 5), "HTTP/"), isDigit(bytes[s + 5]),
            bytes[s + 6] == HTTPByte.dot, isDigit(bytes[s + 7])
        else { throw .malformed("invalid HTTP version") }
        throw .unsupportedVersion
    }

    /// The method, without allocating for the common ones.
    private static func method(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> HTTPMethod {
        switch range.count {
        case 3:
            if bytes.equals(range, "GET") { return .get }
            if bytes.equals(range, "PUT") { return .put }
        case 4:
            if bytes.equals(range, "POST") { return .post }
            if bytes.equals(range, "HEAD") { return .head }
        case 5:
            if bytes.equals(range, "PATCH") { return .patch }
        case 6:
            if bytes.equals(range, "DELETE") { return .delete }
        default:
            break
        }
        return HTTPMethod(bytes.string(range))
    }

    /// Accepts origin form, asterisk form for OPTIONS and absolute form (RFC 9112 section 3.2).
    private static func target(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, method: HTTPMethod) throws(HTTPParseError) -> (String, String?) {
        let first = bytes[range.lowerBound]
        if first == HTTPByte.slash { return (bytes.string(range), nil) }
        if range.count == 1, first == HTTPByte.asterisk {
            // RFC 9112 section 3.2.4: asterisk form is only for OPTIONS.
            guard method == .options else { throw .malformed("asterisk target without OPTIONS") }
            return ("*", nil)
        }
        return try absoluteForm(bytes, range)
    }

    private static func isSchemeSymbol(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "+") || c == UInt8(ascii: "-") || c == HTTPByte.dot
    }

    /// `scheme "://" authority [path-abempty] ["?" query]` rewritten to origin form (RFC 9112 section 3.2.2).
    private static func absoluteForm(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(HTTPParseError) -> (String, String?) {
        var i = range.lowerBound
        let isAlpha = { (c: UInt8) in HTTPByte.lower(c) >= UInt8(ascii: "a") && HTTPByte.lower(c) <= UInt8(ascii: "z") }
        guard isAlpha(bytes[i]) else { throw .malformed("invalid request target") }
        // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
        while i < range.upperBound, isAlpha(bytes[i]) || Self.isSchemeSymbol(bytes[i]) { i += 1 }
        guard i + 3 <= range.upperBound, bytes.equals(i..<(i + 3), "://") else { throw .malformed("invalid request target") }
        let authorityStart = i + 3
        var j = authorityStart
        while j < range.upperBound, bytes[j] != HTTPByte.slash, bytes[j] != HTTPByte.question { j += 1 }
        guard j > authorityStart else { throw .malformed("empty authority in request target") }
        let authority = bytes.string(authorityStart..<j)
        if j == range.upperBound { return ("/", authority) }
        let rest = bytes.string(j..<range.upperBound)
        return (bytes[j] == HTTPByte.slash ? rest : "/" + rest, authority)
    }
}
