import Foundation

/// The kind of a thread message.
public enum MessageKind: String, Sendable, Codable, CaseIterable {
    /// Public: visible to agents and the requester.
    case reply
    /// Internal: agents only, never shown to requesters.
    case note
    /// Lifecycle entries written by the system (status changes, merges).
    case system
}

/// Who wrote a message.
public enum MessageAuthor: Sendable, Equatable, Codable {
    case agent(AgentID)
    case requester(ContactID)
    case system
}

/// One message of a ticket's conversation thread.
public struct Message: Sendable, Equatable, Codable {
    public let id: MessageID
    public let ticketID: TicketID
    public let kind: MessageKind
    public let author: MessageAuthor
    public let body: String
    public let createdAt: Date
    public var attachments: [Attachment]
}

/// A reply or note to add. `afterMessageID` is the newest message the author saw: when a
/// newer public reply exists and `force` is false the command fails with `.conflict` listing
/// the new replies. Nil skips the collision check.
public struct NewMessage: Sendable {
    public var kind: MessageKind
    public var body: String
    public var attachments: [StagedAttachment]
    public var afterMessageID: MessageID?
    public var force: Bool

    public init(kind: MessageKind, body: String, attachments: [StagedAttachment] = [],
                afterMessageID: MessageID? = nil, force: Bool = false) {
        self.kind = kind
        self.body = body
        self.attachments = attachments
        self.afterMessageID = afterMessageID
        self.force = force
    }
}
