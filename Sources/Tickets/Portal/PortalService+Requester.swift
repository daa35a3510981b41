import Foundation

/// What the holder of an access link may do with its ticket: read the public conversation,
/// fetch the files of public replies, and reply as the requester.
extension PortalService {
    /// Characters in a portal reply: a customer's answer, far below an agent's 100,000.
    public static let maxReplyCharacters = 20_000
    /// Files one portal reply may carry (each up to `AttachmentStore.maxFileBytes`).
    public static let maxReplyFiles = 5

    /// Ticket `id` and its public replies in order: no notes, no system messages (they carry
    /// agent-side detail such as merges). Throws `.notFound` when the ticket is gone.
    public func conversation(of id: TicketID) async throws -> (Ticket, [Message]) {
        try await database.read { db in
            let ticket = try TicketRecord.load(id, db)
            return (ticket, try MessageRecord.thread(id, includeNotes: false, db).filter { $0.kind == .reply })
        }
    }

    /// Attachment `id` with its file when it belongs to a public reply of `ticket`; any
    /// other attachment (another ticket's, a note's, a system message's) is `.notFound`.
    public func attachment(_ id: AttachmentID, on ticket: TicketID) async throws -> (Attachment, URL) {
        let found = try await database.read { db -> Attachment in
            guard let (attachment, owner, kind) = try AttachmentRecord.find(id, db), owner == ticket, kind == .reply else {
                throw DomainError.notFound("Attachment")
            }
            return attachment
        }
        return (found, tickets.attachments.fileURL(for: found.storageKey))
    }

    /// A reply on ticket `id` by its requester (`Actor.requester`): audited, logged as
    /// `message.added` (so it appears live on the agent's page and notifies the assignee and
    /// watchers), and reopening a Pending or Resolved ticket. Throws `.validation("body")`
    /// past `maxReplyCharacters` or when empty without files, `.validation("attachments")`
    /// past `maxReplyFiles`, `.notFound`.
    public func reply(to id: TicketID, body: String, attachments: [StagedAttachment]) async throws -> CommandResult<Message> {
        guard body.utf8.count <= 4 * Self.maxReplyCharacters, body.count <= Self.maxReplyCharacters else {
            throw DomainError.validation("body", "Keep your reply under \(Self.maxReplyCharacters) characters.")
        }
        guard attachments.count <= Self.maxReplyFiles else {
            throw DomainError.validation("attachments", "Attach at most \(Self.maxReplyFiles) files.")
        }
        let requester = try await database.read { db in try TicketRecord.load(id, db).requesterID }
        return try await tickets.addMessage(to: id, NewMessage(kind: .reply, body: body, attachments: attachments),
                                            by: .requester(requester))
    }
}
