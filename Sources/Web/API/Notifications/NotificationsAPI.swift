import Foundation
import Realtime
import Tickets

/// A notification as the API and the live feed show it.
struct NotificationJSON: Encodable, Sendable {
    let id: Int64
    let kind: String
    @Nullable var ticketId: Int64?
    let ticketReference: String
    let title: String
    let createdAt: Date
    @Nullable var readAt: Date?

    init(_ notification: Tickets.Notification) {
        id = notification.id
        kind = notification.kind.rawValue
        ticketId = notification.ticketID?.rawValue
        ticketReference = notification.ticketReference
        title = notification.title
        createdAt = notification.createdAt
        readAt = notification.readAt
    }
}

/// The signed-in agent's own notification feed and preferences. Every route acts on the
/// caller's feed only, so no permission beyond being signed in is needed.
enum NotificationsAPI {
    private struct Feed: Encodable {
        let notifications: [NotificationJSON]
        let unreadCount: Int
    }

    private struct ReadBody: Decodable {
        let ids: [Int64]?
        let all: Bool?
    }

    private struct UnreadCount: Encodable {
        let unreadCount: Int
    }

    static func register(_ routes: APIRoutes) {
        let notifications = routes.services.notifications
        routes.api(.get, "/api/notifications", permission: nil) { request in
            let agent = request.principal.agent.id
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: 30, max: NotificationService.maxPageSize)
            let before = try APIQuery.position(request.http.queryValue("before"), field: "before")
            let unreadOnly = request.http.queryValue("unread") == "1" || request.http.queryValue("unread") == "true"
            let items = try await notifications.feed(of: agent, unreadOnly: unreadOnly, limit: limit, before: before)
            return try JSONBody.response(Feed(notifications: items.map(NotificationJSON.init),
                                              unreadCount: try await notifications.unreadCount(of: agent)))
        }
        routes.api(.post, "/api/notifications/read", permission: nil) { request in
            let body = try request.decode(ReadBody.self)
            guard (body.ids != nil) != (body.all == true) else {
                throw ProblemError.unprocessable("Send either ids or all: true.", field: "ids")
            }
            let unread = try await notifications.markRead(body.all == true ? nil : body.ids, of: request.principal.agent.id)
            return try JSONBody.response(UnreadCount(unreadCount: unread))
        }
        routes.api(.get, "/api/notifications/preferences", permission: nil) { request in
            try JSONBody.response(json(try await notifications.preferences(of: request.principal.agent.id)))
        }
        routes.api(.put, "/api/notifications/preferences", permission: nil) { request in
            let body = try request.decode([String: Bool].self)
            var changes: [NotificationKind: Bool] = [:]
            for (name, enabled) in body {
                guard let kind = NotificationKind(rawValue: name) else {
                    throw ProblemError.unprocessable("Unknown notification kind.", field: name)
                }
                changes[kind] = enabled
            }
            return try JSONBody.response(json(try await notifications.setPreferences(changes, of: request.principal.agent.id)))
        }
    }

    private static func json(_ preferences: [NotificationKind: Bool]) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: preferences.map { ($0.key.rawValue, $0.value) })
    }
}
