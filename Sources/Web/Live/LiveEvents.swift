import Foundation
import Realtime
import Tickets

/// The live rooms' consumer of the event log: turns each event into live `event` messages,
/// in log order, and publishes each to its rooms through the room log with the event's log
/// position as its sequence number.
///
/// | log event | ticket room | board | agent's feed |
/// |---|---|---|---|
/// | `ticket.created` | | `ticket.created` | |
/// | `ticket.updated` | `ticket.updated` | `ticket.updated` | |
/// | `message.added` | `message.added` | `ticket.updated` (its `updatedAt` moved) | |
/// | `ticket.deleted` | `ticket.deleted` | `ticket.deleted` | |
/// | `ticket.merged` | `ticket.merged` (in both tickets' rooms) | (both tickets' `ticket.updated` events) | |
/// | `ticket.watchers_changed` | `ticket.watchers_changed` | | |
/// | `ticket.links_changed` | `ticket.links_changed` | | |
/// | `sla.warning`, `sla.breached` | same | same | |
/// | `notification.created` | | | `notification.created` |
/// | `survey.created`, `survey.rated`, `survey.cancelled` | same | | |
///
/// The requester portal's rooms (`PortalLive`) get public replies and status changes of
/// their ticket; access-link changes and deletion end its sockets.
///
/// Access events (sign-out, deactivation, role or token changes) go to `onAccessChange`,
/// which re-checks the live sockets. A message that cannot be built (its ticket is gone) is
/// logged and skipped; it never holds back the events after it.
///
/// Every server node runs its own, from the log's head at its start (`isNodeLocal`): the
/// log is the source of truth, and each node's rooms get every event whichever node
/// committed it.
final class LiveEvents: EventConsumer {
    let name = "live"
    var isNodeLocal: Bool { true }
    private let services: Services
    private let log: RoomLog
    private let rooms: @Sendable () -> Rooms
    /// The requester portal's rooms (public replies and status only), fed from the same events.
    private let portal: PortalLive?
    private let onAccessChange: @Sendable ([AccessEvent]) -> Void

    init(services: Services, log: RoomLog, rooms: @escaping @Sendable () -> Rooms, portal: PortalLive? = nil,
         onAccessChange: @escaping @Sendable ([AccessEvent]) -> Void) {
        self.services = services
        self.log = log
        self.rooms = rooms
        self.portal = portal
        self.onAccessChange = onAccessChange
    }

    func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        var access: [AccessEvent] = []
        for logged in events {
            if case .access(let change) = logged.event { access.append(change) }
            for (room, label, text) in await messages(for: logged) {
                log.publish(room, label: label, event: text, by: Self.by(logged), seq: Int(logged.id), through: rooms())
            }
            if let portal, case .ticket(let event) = logged.event { await publishToPortal(event, portal, position: logged.id) }
        }
        if !access.isEmpty { onAccessChange(access) }
    }

    /// Portal rooms are live only (no replay: the page reloads the ticket when it reconnects),
    /// so a message that cannot be built is logged and skipped like the agents' ones.
    private func publishToPortal(_ event: TicketEvent, _ portal: PortalLive, position: Int64) async {
        do {
            try await portal.publish(event)
        } catch let error as DomainError where error.code == .notFound {
            return
        } catch {
            Log.error("portal event \(position) not published: \(error)")
        }
    }

    /// Loads the newest `limit` events up to `position` into the replay buffers without
    /// sending them, so clients can resume across a restart (protocol.md section 2.5).
    /// Returns how many events were read.
    func warm(upTo position: Int64, limit: Int) async throws -> Int {
        let events = try await services.database.events(upTo: position, limit: limit)
        log.forget(through: Int((events.first?.id ?? position + 1) - 1))
        for logged in events {
            for (room, label, text) in await messages(for: logged) {
                log.remember(room, label: label, event: text, by: Self.by(logged), seq: Int(logged.id))
            }
        }
        return events.count
    }

    /// The `by` object of an event's envelope (none for a feed's `notification.created`).
    private static func by(_ logged: LoggedEvent) -> String? {
        if case .notificationCreated = logged.event { return nil }
        return ServerMessage.text(ActorJSON(type: logged.actor.kind.rawValue, id: logged.actor.id, name: logged.actor.name))
    }

    /// The (server room, client label, event JSON) triples of one logged event.
    private func messages(for logged: LoggedEvent) async -> [(String, String?, String)] {
        do {
            switch logged.event {
            case .ticket(let event):
                return try await Self.messages(for: event, services: services).map { ($0.0, nil, $0.1) }
            case .sla(let event):
                return try await Self.slaMessages(event, services: services).map { ($0.0, nil, $0.1) }
            case .notificationCreated(let notification):
                let unread = try await services.notifications.unreadCount(of: notification.agentID)
                let text = ServerMessage.text(NotificationPayload(notification: NotificationJSON(notification), unreadCount: unread))
                return [(LiveRooms.feed(of: notification.agentID.rawValue), LiveRooms.notifications, text)]
            case .survey(let event):
                return [try await Self.surveyMessage(event, services: services)].map { ($0.0, nil, $0.1) }
            case .ticketPolicyChanged(let id, _):
                return try await Self.policyChangedMessages(id, services: services).map { ($0.0, nil, $0.1) }
            case .notificationsRead, .slaPolicyChanged, .access, .record, .email:
                return []
            }
        } catch let error as DomainError where error.code == .notFound {
            return []
        } catch {
            Log.error("live event \(logged.id) not published: \(error)")
            return []
        }
    }

    private struct SurveyPayload: Encodable {
        let kind: String
        let ticketId: Int64
        let survey: SurveyJSON
    }

    /// The ticket room's message for a survey change (the ticket page shows the rating).
    static func surveyMessage(_ event: SurveyEvent, services: Services) async throws -> (String, String) {
        let kind = switch event {
        case .created: "survey.created"
        case .rated: "survey.rated"
        case .cancelled: "survey.cancelled"
        case .sent: "survey.sent"
        case .answerChanged: "survey.answer_changed"
        }
        let people = try await PeopleDirectory.load(services, contacts: [])
        let survey = event.survey
        return (LiveRooms.ticket(survey.ticketID.rawValue),
                ServerMessage.text(SurveyPayload(kind: kind, ticketId: survey.ticketID.rawValue, survey: SurveyJSON(survey, people))))
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
            var contacts = [ticket.requesterID]
            if case .requester(let author) = message.author, author != ticket.requesterID { contacts.append(author) }
            let people = try await PeopleDirectory.load(services, contacts: contacts)
            // An ingested email's row in `mail_messages` is written in the same transaction as the message.
            let mark = try await services.tickets.emailMarks(ticket: ticket.id)[message.id]
            let added = ServerMessage.text(MessagePayload(ticketId: ticket.id.rawValue, message: MessageJSON(message, people, email: mark)))
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
        case .ccsChanged(let ticket, _):
            // The list as it is when published (names and addresses come from the contacts).
            let ccs = try await services.tickets.ccs(of: ticket.id, for: .system)
            let payload = CCsJSON(kind: "ticket.ccs_changed", ticketId: ticket.id.rawValue, ccs: ccs.map(ContactJSON.init))
            return [(LiveRooms.ticket(ticket.id.rawValue), ServerMessage.text(payload))]
        case .accessLinkChanged, .emailFailed:
            // Agents see the link on request (it carries the token); a failed email reaches the
            // ticket as its system note (`message.added`) and the sender as a notification.
            return []
        }
    }
}
