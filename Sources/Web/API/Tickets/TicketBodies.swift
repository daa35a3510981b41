import Foundation
import Realtime
import Tickets

/// `POST /api/tickets`: the requester by `requesterId`, or by `requester: {name, email}`
/// (matched case-insensitively, created when new). Unset fields take the domain defaults.
struct CreateTicketBody: Decodable {
    struct RequesterBody: Decodable {
        let name: String?
        let email: String
    }

    let subject: String
    let description: String?
    let requesterId: Int64?
    let requester: RequesterBody?
    let status: TicketStatus?
    let priority: TicketPriority?
    let category: TicketCategory?
    let channel: TicketChannel?
    let dueAt: String?
    let assigneeId: Int64?
    let tags: [String]?
    /// The SLA policy (GET /api/sla-policies); absent: the default policy.
    let slaPolicyId: Int64?

    /// The domain draft. Throws a 422 naming `requester` when neither form is given.
    func draft() throws -> NewTicket {
        let reference: RequesterReference
        if let requesterId {
            reference = .contact(ContactID(requesterId))
        } else if let requester {
            reference = .email(name: requester.name ?? "", email: requester.email)
        } else {
            throw ProblemError.unprocessable("Give requesterId or requester {name, email}.", field: "requester")
        }
        var draft = NewTicket(subject: subject, description: description ?? "", requester: reference)
        if let status { draft.status = status }
        if let priority { draft.priority = priority }
        if let category { draft.category = category }
        if let channel { draft.channel = channel }
        draft.dueAt = try dueAt.map { try APIDate.parse($0, field: "dueAt") }
        draft.assigneeID = assigneeId.map(AgentID.init)
        draft.tags = tags ?? []
        draft.slaPolicyID = slaPolicyId.map(SLAPolicyID.init)
        return draft
    }
}

/// `PATCH /api/tickets/:id`: only the keys present change; `dueAt: null` and
/// `assigneeId: null` clear. `version` is the version the client read (or `If-Match`).
struct PatchTicketBody: Decodable {
    let version: Int64?
    let patch: TicketPatch

    private enum Keys: String, CodingKey {
        case version, subject, description, status, priority, category, channel, dueAt, assigneeId, tags, requesterId, requester
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        version = try c.decodeIfPresent(Int64.self, forKey: .version)
        var patch = TicketPatch()
        patch.subject = try c.decodeIfPresent(String.self, forKey: .subject)
        patch.description = try c.decodeIfPresent(String.self, forKey: .description)
        patch.status = try c.decodeIfPresent(TicketStatus.self, forKey: .status)
        patch.priority = try c.decodeIfPresent(TicketPriority.self, forKey: .priority)
        patch.category = try c.decodeIfPresent(TicketCategory.self, forKey: .category)
        patch.channel = try c.decodeIfPresent(TicketChannel.self, forKey: .channel)
        patch.tags = try c.decodeIfPresent([String].self, forKey: .tags)
        if c.contains(.dueAt) {
            patch.dueAt = .some(try c.decodeNil(forKey: .dueAt) ? nil : try APIDate.parse(try c.decode(String.self, forKey: .dueAt), field: "dueAt"))
        }
        if c.contains(.assigneeId) {
            patch.assigneeID = .some(try c.decodeNil(forKey: .assigneeId) ? nil : AgentID(try c.decode(Int64.self, forKey: .assigneeId)))
        }
        if let id = try c.decodeIfPresent(Int64.self, forKey: .requesterId) {
            patch.requester = .contact(ContactID(id))
        } else if let requester = try c.decodeIfPresent(CreateTicketBody.RequesterBody.self, forKey: .requester) {
            patch.requester = .email(name: requester.name ?? "", email: requester.email)
        }
        self.patch = patch
    }
}

/// `POST /api/tickets/:id/messages` as JSON.
struct NewMessageBody: Decodable {
    let kind: MessageKind
    let body: String
    let afterMessageId: Int64?
    let force: Bool?

    /// The draft with `attachments` staged.
    func draft(attachments: [StagedAttachment] = []) -> NewMessage {
        NewMessage(kind: kind, body: body, attachments: attachments, afterMessageID: afterMessageId.map(MessageID.init),
                   force: force ?? false)
    }
}

/// `POST /api/contacts`.
struct NewContactBody: Decodable {
    let name: String?
    let email: String
}

/// ISO 8601 date-times in request bodies, parsed here rather than by the decoder so a bad
/// value is a 422 naming its field.
enum APIDate {
    /// `2024-05-01T09:00:00Z` (fractional seconds and offsets allowed). Throws a 422 naming `field`.
    static func parse(_ text: String, field: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw ProblemError.unprocessable("Use an ISO 8601 date-time such as 2024-05-01T09:00:00Z.", field: field)
    }
}
