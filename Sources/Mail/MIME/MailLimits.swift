import Foundation

/// Every bound the message parser enforces, each with its unit and the reason for its default.
/// A message past one of the hard limits is refused with a `MailParseError`; an attachment past
/// `maxAttachmentBytes` is kept as a note (name, type, size) without its bytes.
public struct MailLimits: Sendable, Equatable {
    /// The whole raw message. A 10 MB attachment is 13.7 MB in base64; this leaves room for two
    /// of them plus text, and stops a mailbox from feeding us an unbounded blob.
    public var maxMessageBytes: Int = 32 * 1024 * 1024
    /// One entity's header section (top level or a part). Long `Received` chains from mailing
    /// lists stay well under 64 KiB; spam with megabytes of headers does not.
    public var maxHeaderSectionBytes: Int = 256 * 1024
    /// One header field after unfolding. `References` of a long thread is the longest real field
    /// (about 100 message ids, under 10 KiB).
    public var maxHeaderFieldBytes: Int = 64 * 1024
    /// Header fields in one entity. Real mail has under 100; the bound keeps lookups cheap.
    public var maxHeaderFields: Int = 1_000
    /// Entities in the whole tree, multiparts included. A mail client's message with inline
    /// images has a few dozen; a zip-bomb-like part list does not get to allocate thousands.
    public var maxParts: Int = 500
    /// Nesting of multiparts and attached messages. Forwarded-of-forwarded mail reaches ~8;
    /// the bound keeps recursion shallow.
    public var maxDepth: Int = 20
    /// One attachment's decoded bytes: the help desk's per-file attachment limit.
    public var maxAttachmentBytes: Int = 10 * 1024 * 1024
    /// The readable text kept from the message body; the rest is cut with a visible note.
    /// A thread message longer than 1 MiB of text is a log paste, not a conversation.
    public var maxBodyTextBytes: Int = 1024 * 1024

    public init() {}

    /// Small limits for fuzzing and tests that want to reach them quickly.
    public static func small(bytes: Int = 4096) -> MailLimits {
        var limits = MailLimits()
        limits.maxMessageBytes = bytes
        limits.maxHeaderSectionBytes = bytes / 2
        limits.maxHeaderFieldBytes = bytes / 4
        limits.maxHeaderFields = 32
        limits.maxParts = 16
        limits.maxDepth = 4
        limits.maxAttachmentBytes = bytes / 4
        limits.maxBodyTextBytes = bytes / 4
        return limits
    }
}
