import Foundation

/// A `Content-Type` (RFC 2045 section 5) or `Content-Disposition` (RFC 2183) value: a
/// lower-cased type and its parameters, with RFC 2231 continuations and charsets resolved.
public struct MIMEHeaderValue: Sendable, Equatable {
    /// For Content-Type, "type/subtype"; for Content-Disposition, "inline" or "attachment".
    public let value: String
    /// Parameters by lower-cased name.
    public let parameters: [String: String]

    public init(value: String, parameters: [String: String] = [:]) {
        self.value = value
        self.parameters = parameters
    }

    /// The part of `value` before "/" ("text" in "text/plain").
    public var type: String { String(value.split(separator: "/", maxSplits: 1).first ?? "") }
    /// The part of `value` after "/" ("plain" in "text/plain").
    public var subtype: String {
        let pieces = value.split(separator: "/", maxSplits: 1)
        return pieces.count == 2 ? String(pieces[1]) : ""
    }

    /// RFC 2045 5.2: a missing or unparseable Content-Type means text/plain in US-ASCII.
    static let defaultContentType = MIMEHeaderValue(value: "text/plain", parameters: ["charset": "us-ascii"])

    /// Parses a Content-Type or Content-Disposition value. Lenient where mail clients are
    /// sloppy: unquoted values with blanks, encoded words inside quoted file names, and a
    /// missing subtype are all accepted. Returns nil when there is no type at all.
    static func parse(_ header: String) -> MIMEHeaderValue? {
        var scanner = StructuredScanner(header)
        scanner.skipCFWS()
        let main = scanner.readUntil { $0 == UInt8(ascii: ";") }.lowercased().filter { !$0.isWhitespace }
        guard !main.isEmpty else { return nil }
        var raw: [(name: String, value: String)] = []
        while scanner.skip(";") {
            scanner.skipCFWS()
            let name = scanner.readUntil { $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: ";") }.trimmingBlanks().lowercased()
            guard scanner.skip("=") else { continue }
            scanner.skipCFWS()
            let value: String
            if scanner.peek == UInt8(ascii: "\"") {
                value = scanner.readQuotedString()
                scanner.skipUntil(";")
            } else {
                value = Self.droppingTrailingComment(scanner.readUntil { $0 == UInt8(ascii: ";") }.trimmingBlanks())
            }
            if !name.isEmpty { raw.append((name, value)) }
        }
        return MIMEHeaderValue(value: main, parameters: resolveParameters(raw))
    }

    /// RFC 2231: joins `name*0`, `name*1*`, ... continuations and decodes `charset'lang'%XX`
    /// values; a plain `name` is used when no extended form is present. Encoded words in a
    /// value (not allowed by RFC 2047 5, but sent by many clients for file names) are decoded.
    private static func resolveParameters(_ raw: [(name: String, value: String)]) -> [String: String] {
        var plain: [String: String] = [:]
        var segments: [String: [(index: Int, extended: Bool, value: String)]] = [:]
        for (name, value) in raw {
            guard let star = name.firstIndex(of: "*") else {
                if plain[name] == nil { plain[name] = value }
                continue
            }
            let base = String(name[..<star])
            let suffix = name[name.index(after: star)...]
            if suffix.isEmpty {
                segments[base, default: []].append((0, true, value))
            } else {
                let extended = suffix.hasSuffix("*")
                let number = Int(extended ? suffix.dropLast() : suffix) ?? 0
                segments[base, default: []].append((number, extended, value))
            }
        }
        var result: [String: String] = [:]
        for (name, value) in plain { result[name] = EncodedWords.decode(value) }
        for (name, parts) in segments {
            let ordered = parts.sorted { $0.index < $1.index }.prefix(100)  // bounded, like the header itself
            var charset: String?
            var bytes: [UInt8] = []
            for (position, part) in ordered.enumerated() {
                guard part.extended else { bytes += Array(part.value.utf8); continue }
                var text = Substring(part.value)
                if position == 0 {
                    let pieces = text.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                    if pieces.count == 3 {
                        charset = String(pieces[0])
                        text = pieces[2]
                    }
                }
                bytes += percentDecode(text)
            }
            result[name] = Charset.decode(bytes[...], charset: charset ?? "utf-8").text
        }
        return result
    }

    /// "flowed (comment)" -> "flowed": a trailing comment is CFWS (RFC 5322 3.2.2), not value.
    private static func droppingTrailingComment(_ value: String) -> String {
        guard value.hasSuffix(")"), let open = value.range(of: " (", options: .backwards) else { return value }
        return String(value[..<open.lowerBound]).trimmingBlanks()
    }

    private static func percentDecode(_ text: Substring) -> [UInt8] {
        let utf8 = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count, let hi = hexValue(utf8[i + 1]), let lo = hexValue(utf8[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(utf8[i])
                i += 1
            }
        }
        return out
    }
}

/// A cursor over a structured header value (RFC 5322 section 3.2): quoted strings, comments
/// and folding whitespace. It walks UTF-8 bytes: every delimiter is ASCII, so a cut never
/// falls inside a character.
struct StructuredScanner {
    private let bytes: [UInt8]
    private(set) var position = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var isAtEnd: Bool { position >= bytes.count }
    var peek: UInt8? { isAtEnd ? nil : bytes[position] }

    mutating func advance() { position += 1 }

    /// Consumes `c` if it is next.
    mutating func skip(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue, peek == ascii else { return false }
        position += 1
        return true
    }

    /// Skips blanks and (nested) comments.
    mutating func skipCFWS() {
        while let c = peek {
            if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A { position += 1; continue }
            if c == UInt8(ascii: "(") { _ = readCommentBytes(); continue }
            return
        }
    }

    /// Reads a comment, the opening "(" being next; returns its text.
    mutating func readComment() -> String { String(decoding: readCommentBytes(), as: UTF8.self) }

    private mutating func readCommentBytes() -> [UInt8] {
        var depth = 0
        var text: [UInt8] = []
        while let c = peek {
            position += 1
            if c == UInt8(ascii: "\\"), let next = peek { position += 1; text.append(next); continue }
            if c == UInt8(ascii: "(") { depth += 1; if depth > 1 { text.append(c) }; continue }
            if c == UInt8(ascii: ")") { depth -= 1; if depth == 0 { return text }; text.append(c); continue }
            text.append(c)
        }
        return text
    }

    /// Reads a quoted string, the opening quote being next; returns its unescaped content.
    /// An unterminated string runs to the end of the value.
    mutating func readQuotedString() -> String { String(decoding: readQuotedBytes(), as: UTF8.self) }

    private mutating func readQuotedBytes() -> [UInt8] {
        position += 1
        var text: [UInt8] = []
        while let c = peek {
            position += 1
            if c == UInt8(ascii: "\\"), let next = peek { position += 1; text.append(next); continue }
            if c == UInt8(ascii: "\"") { return text }
            if c == 0x0D || c == 0x0A { continue }
            text.append(c)
        }
        return text
    }

    /// Reads up to (not including) the first byte matching `stop`, taking quoted strings whole
    /// (unquoted).
    mutating func readUntil(_ stop: (UInt8) -> Bool) -> String {
        var text: [UInt8] = []
        while let c = peek, !stop(c) {
            if c == UInt8(ascii: "\"") { text += readQuotedBytes(); continue }
            text.append(c)
            position += 1
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Reads bytes up to the first `stop` byte with nothing interpreted.
    mutating func readRaw(until stop: (UInt8) -> Bool) -> String {
        let start = position
        while let c = peek, !stop(c) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func skipUntil(_ stop: Character) {
        guard let ascii = stop.asciiValue else { return }
        while let c = peek, c != ascii { position += 1 }
    }
}
