/// A server reply (RFC 5321 section 4.2): a three-digit code and one or more text lines.
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    public let code: Int
    public let lines: [String]

    /// 2xx: the command succeeded.
    public var isPositive: Bool { (200..<300).contains(code) }
    /// 3xx: go on (after DATA or an AUTH challenge).
    public var isIntermediate: Bool { (300..<400).contains(code) }
    public var text: String { lines.joined(separator: " ") }
    public var description: String { "\(code) \(text)" }

    /// Adds one reply line; returns true when it was the last ("250 " rather than "250-").
    /// Throws on a line that is not `ddd`, `ddd text` or `ddd-text`, or whose code changes.
    static func accumulate(_ line: [UInt8], into partial: inout (code: Int?, lines: [String])) throws -> Bool {
        guard line.count >= 3, line[0...2].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              line.count == 3 || line[3] == 0x20 || line[3] == 0x2D,
              let code = Int(String(decoding: line[0...2], as: UTF8.self)), (200...599).contains(code) else {
            throw MailConnectionError(.protocolViolation, "the server sent a malformed reply: \(sample(line))")
        }
        if let previous = partial.code, previous != code {
            throw MailConnectionError(.protocolViolation, "the server changed the reply code inside a reply (\(previous), \(code))")
        }
        partial.code = code
        partial.lines.append(line.count > 4 ? textFromBytes(line[4...]) : "")
        return line.count == 3 || line[3] == 0x20
    }

    /// A short printable excerpt of a peer's line for error messages.
    static func sample(_ line: [UInt8]) -> String {
        String(textFromBytes(line.prefix(80)).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0.isPunctuation || $0 == " ") ? $0 : "?" })
    }
}
