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
///
/// After each batch, the notifications it causes are stored and sent to the recipients'
/// feed rooms as `notification.created`.
enum LiveEvents {
    /// Subscribes to `services.ticketEvents` for the life of the process.
    static func start(services: Services, log: RoomLog, rooms: @escaping @Sendable () -> Rooms) {
        let (stream, continuation) = AsyncStream<([TicketEvent], Actor)>.makeStream()
        services.ticketEvents.subscribe { events, actor in continuation.yield((events, actor)) }
        Task.detached {
            for await (batch, actor) in stream {
                for event in batch {
                    do {
                        for (room, text) in try await messages(for: event, services: services) {
                            log.publish(room, event: text, through: rooms())
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
            let drafts = batch.flatMap { NotificationRules.drafts(for: $0, by: actor) }
            for notification in try await services.notifications.record(drafts) {
                let unread = try await services.notifications.unreadCount(of: notification.agentID)
                let text = ServerMessage.text(NotificationPayload(notification: NotificationJSON(notification), unreadCount: unread))
                log.publish(LiveRooms.feed(of: notification.agentID.rawValue), label: LiveRooms.notifications, event: text, through: rooms())
            }
        } catch {
            Log.error("notifications not recorded: \(error)")
        }
    }

    private struct NotificationPayload: Encodable {
        let kind = "notification.created"
        let notification: NotificationJSON
        let unreadCount: Int
    }

    private struct TicketPayload: Encodable {
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
            let touched = ServerMessage.text(TicketPayload(kind: "ticket.updated", ticket: TicketJSON(ticket, people), changedFields: []))
            return [(LiveRooms.ticket(ticket.id.rawValue), added), (LiveRooms.board, touched)]
        case .ticketDeleted(let id, let reference):
            let text = ServerMessage.text(DeletedPayload(ticketId: id.rawValue, reference: reference))
            return [(LiveRooms.ticket(id.rawValue), text), (LiveRooms.board, text)]
        case .statusChanged, .assigned:
            // Also reported as `ticketUpdated`; these feed notifications, not rooms.
            return []
        }
    }
}
