import Foundation
import Tickets

/// The live messages of merges, watcher changes and link changes (protocol.md section 2.6).
extension LiveEvents {
    private struct MergedPayload: Encodable {
        let kind = "ticket.merged"
        let primary: TicketJSON
        let secondary: TicketJSON
        /// The replies and notes that moved from the secondary to the primary.
        let movedMessageIds: [Int64]
    }

    private struct WatchersPayload: Encodable {
        let kind = "ticket.watchers_changed"
        let ticketId: Int64
        let watchers: [AgentRefJSON]
    }

    private struct LinksPayload: Encodable {
        let kind = "ticket.links_changed"
        let ticketId: Int64
        let links: [TicketLinkJSON]
    }

    /// `ticket.merged` to both tickets' rooms. (The board learns of the merge from the
    /// `ticket.updated` events of both tickets that the same command logged.)
    static func mergedMessages(primary: Ticket, secondary: Ticket, moved: [MessageID], services: Services) async throws
        -> [(String, String)]
    {
        let json = try await TicketJSON.list([primary, secondary], services)
        let merged = ServerMessage.text(MergedPayload(primary: json[0], secondary: json[1], movedMessageIds: moved.map(\.rawValue)))
        return [(LiveRooms.ticket(primary.id.rawValue), merged), (LiveRooms.ticket(secondary.id.rawValue), merged)]
    }

    /// `ticket.watchers_changed` with the whole list, to the ticket's room.
    static func watchersMessage(_ ticket: Ticket, _ watchers: [AgentID], services: Services) async throws -> (String, String) {
        let people = try await PeopleDirectory.load(services, contacts: [])
        let payload = WatchersPayload(ticketId: ticket.id.rawValue, watchers: watchers.compactMap(people.agent))
        return (LiveRooms.ticket(ticket.id.rawValue), ServerMessage.text(payload))
    }

    /// `ticket.links_changed` with the whole list, to the ticket's room.
    static func linksMessage(_ ticket: Ticket, _ links: [TicketLink], services: Services) async throws -> (String, String) {
        let people = try await PeopleDirectory.load(services, contacts: [])
        let payload = LinksPayload(ticketId: ticket.id.rawValue, links: links.map { TicketLinkJSON($0, people) })
        return (LiveRooms.ticket(ticket.id.rawValue), ServerMessage.text(payload))
    }
}
