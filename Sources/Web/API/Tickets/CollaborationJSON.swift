import Foundation
import Tickets

/// `{watchers: [{id, name}]}`: a ticket's watchers in the order they were added.
struct WatchersJSON: Encodable, Sendable {
    let ticketId: Int64
    let watchers: [AgentRefJSON]

    init(ticket: TicketID, _ watchers: [AgentID], _ people: PeopleDirectory) {
        ticketId = ticket.rawValue
        self.watchers = watchers.compactMap(people.agent)
    }
}

/// A link shown on a ticket. `ticket` is the linked ticket for kind `ticket`, else null.
struct TicketLinkJSON: Encodable, Sendable {
    struct LinkedTicketJSON: Encodable, Sendable {
        let id: Int64
        let reference: String
        let subject: String
        let status: String
    }

    let link: TicketLink
    let createdBy: AgentRefJSON?

    init(_ link: TicketLink, _ people: PeopleDirectory) {
        self.link = link
        createdBy = people.agent(link.createdBy)
    }

    private enum Keys: String, CodingKey { case id, kind, title, url, statusText, external, ticket, createdBy, createdAt }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(link.id.rawValue, forKey: .id)
        try c.encode(link.kind.rawValue, forKey: .kind)
        try c.encode(link.title, forKey: .title)
        try c.encode(link.url, forKey: .url)
        try c.encode(link.statusText, forKey: .statusText)
        try c.encode(link.kind != .ticket, forKey: .external)
        try c.encode(link.linkedTicket.map {
            LinkedTicketJSON(id: $0.id.rawValue, reference: $0.reference, subject: $0.subject, status: $0.status.rawValue)
        }, forKey: .ticket)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(link.createdAt, forKey: .createdAt)
    }
}

/// `{ticketId, links}`: the links shown on a ticket, oldest first.
struct TicketLinksJSON: Encodable, Sendable {
    let ticketId: Int64
    let links: [TicketLinkJSON]
}

/// `POST /api/tickets/:id/merge`: the tickets merged into this one.
struct MergeBody: Decodable {
    let secondaryIds: [Int64]
}

/// The answer to a merge: the primary and each secondary afterwards.
struct MergeResultJSON: Encodable, Sendable {
    let primary: TicketJSON
    let secondaries: [TicketJSON]
    let movedMessages: Int
}

/// `POST /api/tickets/:id/watchers`: the agent to add.
struct WatcherBody: Decodable {
    let agentId: Int64
}

/// `POST /api/tickets/:id/links`: an external record (issue, task, incident: `title`, optional
/// `url`) or a related ticket (`ticket`: `ticketId`).
struct NewLinkBody: Decodable {
    let kind: TicketLinkKind
    let title: String?
    let url: String?
    let ticketId: Int64?
    let statusText: String?

    var draft: NewTicketLink {
        NewTicketLink(kind: kind, title: title, url: url, ticketID: ticketId.map(TicketID.init), statusText: statusText)
    }
}

/// `PATCH /api/tickets/:id/links/:linkId`: an external link's status text (null or "" clears it).
struct LinkStatusBody: Decodable {
    let statusText: String?
}
