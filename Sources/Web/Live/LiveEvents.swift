import Foundation
import Realtime
import Tickets

/// Turns the domain events of every command into live `event` messages, in the order the
/// commands published them: the publisher hands batches to a stream, and one task encodes
/// them (names need a lookup) and publishes each to its rooms through the room log.
///
/// | domain event | ticket room | board |
/// |---|---|---|
/// | ticket created | | `ticket.created` |
/// | ticket updated | `ticket.updated` | `ticket.updated` |
/// | message added | `message.added` | `ticket.updated` (its `updatedAt` moved) |
/// | ticket deleted | `ticket.deleted` | `ticket.deleted` |
/// | merged | `ticket.merged` (in both tickets' rooms) | `ticket.updated` (both tickets) |
/// | watchers changed | `ticket.watchers_changed` | |
/// | links changed | `ticket.links_changed` | |
///
/// After each batch, the notifications it causes (for the assignee and the ticket's
/// watchers) are stored and sent to the recipients' feed rooms as `notification.created`.
/// SLA warnings and breaches arrive through `publishSLA` (`LiveEvents+SLA.swift`).
enum LiveEvents {
    /// Subscribes to `services.ticketEvents` for the life of the process.
    static func start(services: Services, log: RoomLog, rooms: @escaping @Sendable () -> Rooms) {
        let (stream, continuation) = AsyncStream<([TicketEvent], Actor)>.makeStream()
        services.ticketEvents.subscribe { events, actor in continuation.yield((events, actor)) }
        Task.detached {
            for await (batch, actor) in stream {
                let by = ServerMessage.text(ActorJSON(actor))
                for event in batch {
                    do {
                        for (room, text) in try await messages(for: event, services: services) {
                            log.publish(room, event: text, by: by, through: rooms())
                        }
                    } catch {
                        Log.error("live event not published: \(error)")
                    }
                }
                await notify(batch, by: actor, services: services, log: log, rooms: rooms)
            }
        }
    }

    /// Stores the notifications `batch` causes and sends each to its recipient's feed room.
    private static func notify(_ batch: [TicketEvent], by actor: Actor, services: Services, log: RoomLog,
                               rooms: @Sendable () -> Rooms) async {
        do {
            var watchers: [TicketID: [AgentID]] = [:]
            var drafts: [NotificationDraft] = []
            for event in batch {
                var following: [AgentID] = []
                if let ticket = notifiedTicket(event) {
                    if watchers[ticket] == nil { watchers[ticket] = try await services.tickets.watcherIDs(of: ticket) }
                    following = watchers[ticket] ?? []
                }
                drafts += NotificationRules.drafts(for: event, by: actor, watchers: following)
            }
            try await deliver(drafts, services: services, log: log, rooms: rooms)
        } catch {
            Log.error("notifications not recorded: \(error)")
        }
    }

    /// Stores `drafts` (kinds a recipient switched off are skipped) and sends each stored
    /// notification to its recipient's feed room.
    static func deliver(_ drafts: [NotificationDraft], services: Services, log: RoomLog,
                        rooms: @Sendable () -> Rooms) async throws {
        for notification in try await services.notifications.record(drafts) {
            let unread = try await services.notifications.unreadCount(of: notification.agentID)
            let text = ServerMessage.text(NotificationPayload(notification: NotificationJSON(notification), unreadCount: unread))
            log.publish(LiveRooms.feed(of: notification.agentID.rawValue), label: LiveRooms.notifications, event: text, through: rooms())
        }
    }

    private struct NotificationPayload: Encodable {
        let kind = "notification.created"
        let notification: NotificationJSON
        let unreadCount: Int
    }

    struct TicketPayload: Encodable {
        let kind: String
        let ticket: TicketJSON
        let changedFields: [String]?
    }

    private struct MessagePayload: Encodable {
        let kind = "message.added"
        let ticketId: Int64
        let message: MessageJSON
    }

    private struct DeletedPayload: Encodable {
        let kind = "ticket.deleted"
        let ticketId: Int64
        let reference: String
    }

    /// The (room, event JSON) pairs for one domain event.
    static func messages(for event: TicketEvent, services: Services) async throws -> [(String, String)] {
        switch event {
        case .ticketCreated(let ticket):
            let json = try await TicketJSON.list([ticket], services)[0]
            return [(LiveRooms.board, ServerMessage.text(TicketPayload(kind: "ticket.created", ticket: json, changedFields: nil)))]
        case .ticketUpdated(let ticket, let changes):
            let json = try await TicketJSON.list([ticket], services)[0]
            let text = ServerMessage.text(TicketPayload(kind: "ticket.updated", ticket: json, changedFields: changes.map(\.field.rawValue)))
            return [(LiveRooms.ticket(ticket.id.rawValue), text), (LiveRooms.board, text)]
        case .messageAdded(let ticket, let message):
            let people = try await PeopleDirectory.load(services, contacts: [ticket.requesterID])
            let added = ServerMessage.text(MessagePayload(ticketId: ticket.id.rawValue, message: MessageJSON(message, people)))
            let sla = try await services.tickets.slaSummaries(of: [ticket.id])[ticket.id]
            let touched = ServerMessage.text(TicketPayload(kind: "ticket.updated", ticket: TicketJSON(ticket, people, sla: sla), changedFields: []))
            return [(LiveRooms.ticket(ticket.id.rawValue), added), (LiveRooms.board, touched)]
        case .ticketDeleted(let id, let reference):
            let text = ServerMessage.text(DeletedPayload(ticketId: id.rawValue, reference: reference))
            return [(LiveRooms.ticket(id.rawValue), text), (LiveRooms.board, text)]
        case .statusChanged, .assigned:
            // Also reported as `ticketUpdated`; these feed notifications, not rooms.
            return []
        case .merged(let primary, let secondary, let moved):
            return try await mergedMessages(primary: primary, secondary: secondary, moved: moved, services: services)
        case .watchersChanged(let ticket, let watchers):
            return [try await watchersMessage(ticket, watchers, services: services)]
        case .linksChanged(let ticket, let links):
            return [try await linksMessage(ticket, links, services: services)]
        }
    }

    /// The ticket whose watchers a notification for `event` may reach (replies and status changes).
    private static func notifiedTicket(_ event: TicketEvent) -> TicketID? {
        switch event {
        case .messageAdded(let ticket, _), .statusChanged(let ticket, _, _): ticket.id
        case .ticketCreated, .ticketUpdated, .assigned, .ticketDeleted, .merged, .watchersChanged, .linksChanged: nil
        }
    }
}
