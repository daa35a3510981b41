import Foundation
import Tickets

/// An attachment's metadata with its download (and, for raster images, preview) URL.
struct AttachmentJSON: Encodable, Sendable {
    let id: Int64
    let messageId: Int64
    let fileName: String
    let contentType: String
    let size: Int64
    let sha256: String
    let url: String
    @Nullable var previewUrl: String?

    init(_ attachment: Attachment) {
        id = attachment.id.rawValue
        messageId = attachment.messageID.rawValue
        fileName = attachment.fileName
        contentType = attachment.contentType
        size = attachment.size
        sha256 = attachment.sha256
        url = "/api/attachments/\(attachment.id)"
        previewUrl = AttachmentHeaders.isRasterImage(attachment.contentType) ? url + "/preview" : nil
    }
}

/// Who wrote a message or did an audited action: `{type: agent|requester|system, id, name}`.
struct ActorJSON: Encodable, Sendable {
    let type: String
    @Nullable var id: Int64?
    @Nullable var name: String?

    init(_ author: MessageAuthor, _ people: PeopleDirectory) {
        switch author {
        case .agent(let id): self.init(type: "agent", id: id.rawValue, name: people.agents[id]?.name)
        case .requester(let id): self.init(type: "requester", id: id.rawValue, name: people.contacts[id]?.name)
        case .system: self.init(type: "system", id: nil, name: nil)
        }
    }

    /// Who caused a change: the signed-in agent, a requester, or the system.
    init(_ actor: Actor) {
        switch actor {
        case .agent(let principal): self.init(type: "agent", id: principal.agent.id.rawValue, name: principal.agent.name)
        case .requester(let id): self.init(type: "requester", id: id.rawValue, name: nil)
        case .system: self.init(type: "system", id: nil, name: nil)
        }
    }

    init(type: String, id: Int64?, name: String?) {
        self.type = type
        self.id = id
        self.name = name
    }
}

/// One message of a thread; `email` only on messages that travelled by email.
struct MessageJSON: Encodable, Sendable {
    let id: Int64
    let ticketId: Int64
    let kind: String
    let author: ActorJSON
    let body: String
    let createdAt: Date
    let attachments: [AttachmentJSON]
    let email: EmailJSON?

    init(_ message: Message, _ people: PeopleDirectory, email mark: EmailMark? = nil) {
        id = message.id.rawValue
        ticketId = message.ticketID.rawValue
        kind = message.kind.rawValue
        author = ActorJSON(message.author, people)
        body = message.body
        createdAt = message.createdAt
        attachments = message.attachments.map(AttachmentJSON.init)
        email = mark.map { EmailJSON($0, message: message, people) }
    }

    /// The messages with their authors' names and email marks (all of one ticket's thread).
    static func list(_ messages: [Message], _ services: Services) async throws -> [MessageJSON] {
        let contacts = messages.compactMap { message -> ContactID? in
            if case .requester(let id) = message.author { return id }
            return nil
        }
        let people = try await PeopleDirectory.load(services, contacts: contacts)
        var marks: [MessageID: EmailMark] = [:]
        for ticket in Set(messages.map(\.ticketID)) {
            marks.merge(try await services.tickets.emailMarks(ticket: ticket)) { first, _ in first }
        }
        return messages.map { MessageJSON($0, people, email: marks[$0.id]) }
    }
}

/// `{messages, startingEmail}`: a ticket's thread, and the email that started the ticket (its
/// text is the description) or null.
struct ThreadJSON: Encodable, Sendable {
    let messages: [MessageJSON]
    @Nullable var startingEmail: EmailJSON?
}
