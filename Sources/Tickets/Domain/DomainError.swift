/// A domain failure the Web layer maps to an HTTP status and `problem+json`.
/// `code` says what kind; `message` is readable and safe to show; `field` names the
/// offending input field when there is one.
public struct DomainError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public enum Code: Sendable, Equatable {
        /// The thing does not exist (404).
        case notFound
        /// Input failed validation; the error's `field` names it (422).
        case validation
        /// Stale version, duplicate, or newer replies exist (409).
        case conflict
        /// The actor lacks the permission (403).
        case forbidden
        /// Not signed in, bad credentials, expired session (401).
        case unauthenticated
        /// Too many failed attempts; retry later (429).
        case throttled
        /// An upload above the size limit (413).
        case tooLarge
    }

    public let code: Code
    public let message: String
    /// The input field at fault (`"email"`, `"status"`), if any.
    public let field: String?
    /// For `.conflict` on a stale update: the ticket as it is now.
    public let currentTicket: Ticket?
    /// For `.conflict` on a reply collision: the public messages newer than the author saw.
    public let newerMessages: [Message]
    /// For `.throttled`: when another attempt will be accepted.
    public let retryAfterSeconds: Int?

    init(
        _ code: Code, _ message: String, field: String? = nil, currentTicket: Ticket? = nil,
        newerMessages: [Message] = [], retryAfterSeconds: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.field = field
        self.currentTicket = currentTicket
        self.newerMessages = newerMessages
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { "\(code): \(message)" + (field.map { " (\($0))" } ?? "") }

    static func notFound(_ what: String) -> DomainError { DomainError(.notFound, "\(what) not found") }
    static func validation(_ field: String, _ message: String) -> DomainError {
        DomainError(.validation, message, field: field)
    }
    static func forbidden(_ message: String) -> DomainError { DomainError(.forbidden, message) }
}
