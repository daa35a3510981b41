import Foundation
import Realtime
import Tickets

/// An agent as other resources mention it.
struct AgentRefJSON: Encodable, Sendable {
    let id: Int64
    let name: String
}

/// A ticket's requester as the ticket mentions it.
struct RequesterJSON: Encodable, Sendable {
    let id: Int64
    let name: String
    let email: String
}

/// A contact (requester) resource.
struct ContactJSON: Encodable, Sendable {
    let id: Int64
    let name: String
    let email: String
    let createdAt: Date

    init(_ contact: Contact) {
        id = contact.id.rawValue
        name = contact.name
        email = contact.email
        createdAt = contact.createdAt
    }
}

/// A ticket as the API shows it: every field with its API raw value, the requester and
/// assignee with their names, its SLA (`sla`, null without SLA state), and explicit nulls
/// for unset optional fields.
struct TicketJSON: Encodable, Sendable {
    let ticket: Ticket
    let requester: RequesterJSON
    let assignee: AgentRefJSON?
    let sla: SLASummary?

    init(_ ticket: Ticket, _ people: PeopleDirectory, sla: SLASummary? = nil) {
        self.ticket = ticket
        requester = people.requester(ticket.requesterID)
        assignee = people.agent(ticket.assigneeID)
        self.sla = sla
    }

    private enum Keys: String, CodingKey {
        case id, reference, subject, description, status, priority, category, channel, dueAt, requester, assignee, tags
        case createdAt, updatedAt, firstResponseAt, resolvedAt, closedAt, version, mergedIntoId
        case sla
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(ticket.id.rawValue, forKey: .id)
        try c.encode(ticket.reference, forKey: .reference)
        try c.encode(ticket.subject, forKey: .subject)
        try c.encode(ticket.description, forKey: .description)
        try c.encode(ticket.status.rawValue, forKey: .status)
        try c.encode(ticket.priority.rawValue, forKey: .priority)
        try c.encode(ticket.category.rawValue, forKey: .category)
        try c.encode(ticket.channel.rawValue, forKey: .channel)
        try c.encode(ticket.dueAt, forKey: .dueAt)
        try c.encode(requester, forKey: .requester)
        try c.encode(assignee, forKey: .assignee)
        try c.encode(ticket.tags, forKey: .tags)
        try c.encode(ticket.createdAt, forKey: .createdAt)
        try c.encode(ticket.updatedAt, forKey: .updatedAt)
        try c.encode(ticket.firstResponseAt, forKey: .firstResponseAt)
        try c.encode(ticket.resolvedAt, forKey: .resolvedAt)
        try c.encode(ticket.closedAt, forKey: .closedAt)
        try c.encode(ticket.version, forKey: .version)
        try c.encode(sla.map(SLASummaryJSON.init), forKey: .sla)
        try c.encode(ticket.mergedIntoID?.rawValue, forKey: .mergedIntoId)
    }

    /// The tickets with their people and SLAs, loading names in one pass. `sla`: summaries
    /// already at hand (a list page's); nil loads them.
    static func list(_ tickets: [Ticket], _ services: Services, sla: [TicketID: SLASummary]? = nil) async throws -> [TicketJSON] {
        let people = try await PeopleDirectory.load(services, contacts: tickets.map(\.requesterID))
        var summaries = sla ?? [:]
        if sla == nil { summaries = try await services.tickets.slaSummaries(of: tickets.map(\.id)) }
        return tickets.map { TicketJSON($0, people, sla: summaries[$0.id]) }
    }

    /// One ticket as a JSON response.
    static func response(_ ticket: Ticket, _ services: Services, status: HTTPStatus = .ok) async throws -> HTTPResponse {
        try JSONBody.response(try await list([ticket], services)[0], status: status)
    }
}

/// `{tickets, nextCursor, total}`: one page of a list.
struct TicketPageJSON: Encodable, Sendable {
    let tickets: [TicketJSON]
    @Nullable var nextCursor: String?
    @Nullable var total: Int?
}
