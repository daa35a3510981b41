import Foundation

/// `notifications` and `notification_preferences` rows on the caller's connection.
enum NotificationRecord {
    static let columns = "id, agent_id, kind, ticket_id, ticket_reference, title, created_at, read_at"

    /// Stores `draft` for its recipient at `at`, caused by event `cause`; nil when that event
    /// already notified that recipient (a replayed batch), so nothing is stored twice.
    static func insert(_ draft: NotificationDraft, cause: Int64?, at: Date, _ db: Connection) throws -> Notification? {
        // ON CONFLICT DO NOTHING returns no row for a duplicate (same event and recipient).
        guard let inserted = try db.first("""
            INSERT INTO notifications (agent_id, kind, ticket_id, ticket_reference, title, created_at, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
            """, [.integer(draft.recipient.rawValue), .text(draft.kind.rawValue), .integer(draft.ticketID.rawValue),
                  .text(draft.ticketReference), .text(draft.title), .date(at), .optional(cause)]) else { return nil }
        return Notification(
            id: inserted.int64(0), agentID: draft.recipient, kind: draft.kind, ticketID: draft.ticketID,
            ticketReference: draft.ticketReference, title: draft.title, createdAt: at, readAt: nil)
    }

    /// The newest `limit` notifications of `agent` with an id below `before` (nil: any),
    /// unread ones only when `unreadOnly`, newest first.
    static func feed(of agent: AgentID, unreadOnly: Bool, limit: Int, before: Int64?, _ db: Connection) throws -> [Notification] {
        try db.query("""
            SELECT \(columns) FROM notifications WHERE agent_id = ? AND id < ? \(unreadOnly ? "AND read_at IS NULL" : "")
            ORDER BY id DESC LIMIT ?
            """, [.integer(agent.rawValue), .integer(before ?? Int64.max), .int(limit)]).map(notification)
    }

    /// How many notifications of `agent` are unread.
    static func unreadCount(of agent: AgentID, _ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM notifications WHERE agent_id = ? AND read_at IS NULL", [.integer(agent.rawValue)])?.int(0) ?? 0
    }

    /// Marks notification `id` of `agent` read at `at` (another agent's id changes nothing).
    static func markRead(_ id: Int64, of agent: AgentID, at: Date, _ db: Connection) throws {
        try db.run("UPDATE notifications SET read_at = ? WHERE id = ? AND agent_id = ? AND read_at IS NULL",
                   [.date(at), .integer(id), .integer(agent.rawValue)])
    }

    /// Marks every unread notification of `agent` read at `at`.
    static func markAllRead(of agent: AgentID, at: Date, _ db: Connection) throws {
        try db.run("UPDATE notifications SET read_at = ? WHERE agent_id = ? AND read_at IS NULL", [.date(at), .integer(agent.rawValue)])
    }

    /// The kinds `agent` switched on or off (kinds without a row are on).
    static func preferences(of agent: AgentID, _ db: Connection) throws -> [NotificationKind: Bool] {
        var result: [NotificationKind: Bool] = [:]
        for row in try db.query("SELECT kind, enabled FROM notification_preferences WHERE agent_id = ?", [.integer(agent.rawValue)]) {
            if let kind = NotificationKind(rawValue: row.text(0)) { result[kind] = row.bool(1) }
        }
        return result
    }

    /// Whether `agent` receives `kind` (on unless switched off).
    static func isEnabled(_ kind: NotificationKind, for agent: AgentID, _ db: Connection) throws -> Bool {
        try db.first("SELECT enabled FROM notification_preferences WHERE agent_id = ? AND kind = ?",
                     [.integer(agent.rawValue), .text(kind.rawValue)])?.bool(0) ?? true
    }

    /// Switches `kind` on or off for `agent`.
    static func setPreference(_ kind: NotificationKind, enabled: Bool, of agent: AgentID, _ db: Connection) throws {
        try db.run("""
            INSERT INTO notification_preferences (agent_id, kind, enabled) VALUES (?, ?, ?)
            ON CONFLICT (agent_id, kind) DO UPDATE SET enabled = excluded.enabled
            """, [.integer(agent.rawValue), .text(kind.rawValue), .bool(enabled)])
    }

    private static func notification(_ row: Row) -> Notification {
        Notification(
            id: row.int64(0), agentID: AgentID(row.int64(1)), kind: NotificationKind(rawValue: row.text(2)) ?? .reply,
            ticketID: row.optionalInt64(3).map(TicketID.init), ticketReference: row.text(4), title: row.text(5),
            createdAt: row.date(6), readAt: row.optionalDate(7))
    }
}
