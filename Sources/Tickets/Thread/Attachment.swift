import Foundation

/// A file attached to a reply or note. The bytes live in the `AttachmentStore` under
/// `storageKey` (the content's SHA-256).
public struct Attachment: Sendable, Equatable, Codable {
    public let id: AttachmentID
    public let messageID: MessageID
    public let fileName: String
    public let contentType: String
    public let size: Int64
    /// Lower-case hex SHA-256 of the content.
    public let sha256: String
    public let storageKey: String
}

/// A file already written completely into the attachment store, waiting to be referenced
/// by a message. Staging before the transaction means a crash never leaves a row pointing
/// at a half-written file (at worst an unreferenced file remains).
public struct StagedAttachment: Sendable, Equatable {
    public let fileName: String
    public let contentType: String
    public let size: Int64
    public let sha256: String
    public let storageKey: String
}
