import Foundation

/// Why a message was refused as a whole. Smaller problems (a malformed header line, an
/// unknown charset, a missing closing boundary) are not errors: the parser recovers and
/// records them in `MailMessage.defects`.
public struct MailParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case empty
        case messageTooLarge
        case headerSectionTooLarge
        case headerFieldTooLong
        case tooManyHeaderFields
        case tooManyParts
        case nestingTooDeep
        case noHeaderFields
    }

    public let code: Code
    /// The limit that was passed, when the error is about a limit.
    public let limit: Int?

    init(_ code: Code, limit: Int? = nil) {
        self.code = code
        self.limit = limit
    }

    public var description: String {
        switch code {
        case .empty: return "the message is empty"
        case .messageTooLarge: return "the message is larger than \(limit ?? 0) bytes"
        case .headerSectionTooLarge: return "a header section is larger than \(limit ?? 0) bytes"
        case .headerFieldTooLong: return "a header field is longer than \(limit ?? 0) bytes"
        case .tooManyHeaderFields: return "an entity has more than \(limit ?? 0) header fields"
        case .tooManyParts: return "the message has more than \(limit ?? 0) MIME parts"
        case .nestingTooDeep: return "MIME parts are nested deeper than \(limit ?? 0) levels"
        case .noHeaderFields: return "the input has no header fields, so it is not an email message"
        }
    }
}
