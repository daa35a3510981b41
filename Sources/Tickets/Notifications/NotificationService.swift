import Foundation

/// The stored notification feed of every agent: recording (respecting each agent's
/// preferences), reading, marking as read, and preferences. Every method is `async`.
public final class NotificationService: Sendable {
    let database: Database
    let now: Clock

    /// The newest notifications returned by one `feed` call at most.
    public static let maxPageSize = 100
    /// Ids one `markRead` may name: ten feed pages; more is a bug or an attack on the writer.
    public static let maxReadIDs = 1_000

    public init(database: Database, now: @escaping Clock) {
        self.database = database
        self.now = now
    }

    /// Stores `drafts` for recipients who have not switched their kind off, with their
    /// `notification.created` events; returns what was stored. (Notifications of ticket and
    /// SLA events are stored by `NotificationConsumer` from the event log.)
    public func record(_ drafts: [NotificationDraft]) async throws -> [Notification] {
        guard !drafts.isEmpty else { return [] }
        let at = now()
        return try await database.write { db in try Self.store(drafts, cause: nil, at: at, db) }
    }

    /// Stores `drafts` caused by event `cause` (at most once per event and recipient) and
    /// appends a `notification.created` event for each one stored, on the caller's transaction.
    static func store(_ drafts: [NotificationDraft], cause: Int64?, at: Date, _ db: Connection) throws -> [Notification] {
        var stored: [Notification] = []
        for draft in drafts where try isEnabled(draft.kind, for: draft.recipient, db) {
            // ON CONFLICT DO NOTHING returns no row for a duplicate (same event and recipient).
            guard let inserted = try db.first("""
                INSERT INTO notifications (agent_id, kind, ticket_id, ticket_reference, title, created_at, event_id)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
                """, [.integer(draft.recipient.rawValue), .text(draft.kind.rawValue), .integer(draft.ticketID.rawValue),
                      .text(draft.ticketReference), .text(draft.title), .date(at), .optional(cause)]) else { continue }
            stored.append(Notification(
                id: inserted.int64(0), agentID: draft.recipient, kind: draft.kind, ticketID: draft.ticketID,
                ticketReference: draft.ticketReference, title: draft.title, createdAt: at, readAt: nil))
        }
        try EventLog.append(stored.map(DomainEvent.notificationCreated), by: .system, at: at, db)
        return stored
    }

    /// The newest notifications of `agent` (older than `before`, when given), newest first.
    public func feed(of agent: AgentID, unreadOnly: Bool = false, limit: Int = 30, before: Int64? = nil) async throws -> [Notification] {
        let limit = min(max(limit, 1), Self.maxPageSize)
        return try await database.read { db in
            try db.query("""
                SELECT id, agent_id, kind, ticket_id, ticket_reference, title, created_at, read_at
                FROM notifications WHERE agent_id = ? AND id < ? \(unreadOnly ? "AND read_at IS NULL" : "")
                ORDER BY id DESC LIMIT ?
                """, [.integer(agent.rawValue), .integer(before ?? Int64.max), .int(limit)]).map(Self.notification)
        }
    }

    /// How many notifications of `agent` are unread.
    public func unreadCount(of agent: AgentID) async throws -> Int {
        try await database.read { db in
            try db.first("SELECT count(*) FROM notifications WHERE agent_id = ? AND read_at IS NULL", [.integer(agent.rawValue)])?.int(0) ?? 0
        }
    }

    /// Marks the given notifications of `agent` (or all of them when `ids` is nil) as read;
    /// returns the unread count afterwards. Ids of other agents are ignored. Throws
    /// `.validation` on `ids` for more than `maxReadIDs`.
    public func markRead(_ ids: [Int64]?, of agent: AgentID) async throws -> Int {
        if let ids, ids.count > Self.maxReadIDs {
            throw DomainError.validation("ids", "Mark at most \(Self.maxReadIDs) notifications at once.")
        }
        let at = now()
        return try await database.write { db in
            if let ids {
                for id in ids {
                    try db.run("UPDATE notifications SET read_at = ? WHERE id = ? AND agent_id = ? AND read_at IS NULL",
                               [.date(at), .integer(id), .integer(agent.rawValue)])
                }
            } else {
                try db.run("UPDATE notifications SET read_at = ? WHERE agent_id = ? AND read_at IS NULL", [.date(at), .integer(agent.rawValue)])
            }
            let unread = try db.first("SELECT count(*) FROM notifications WHERE agent_id = ? AND read_at IS NULL",
                                      [.integer(agent.rawValue)])?.int(0) ?? 0
            try EventLog.append([.notificationsRead(agent, unread: unread)], by: EventActor(kind: .agent, id: agent.rawValue, name: nil),
                                at: at, db)
            return unread
        }
    }

    /// Which kinds `agent` receives (every kind is on until switched off).
    public func preferences(of agent: AgentID) async throws -> [NotificationKind: Bool] {
        try await database.read { db in
            var preferences = Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0, true) })
            for row in try db.query("SELECT kind, enabled FROM notification_preferences WHERE agent_id = ?", [.integer(agent.rawValue)]) {
                if let kind = NotificationKind(rawValue: row.text(0)) { preferences[kind] = row.bool(1) }
            }
            return preferences
        }
    }

    /// Switches kinds on or off for `agent`; kinds not mentioned keep their setting.
    public func setPreferences(_ changes: [NotificationKind: Bool], of agent: AgentID) async throws -> [NotificationKind: Bool] {
        try await database.write { db in
            for (kind, enabled) in changes {
                try db.run("""
                    INSERT INTO notification_preferences (agent_id, kind, enabled) VALUES (?, ?, ?)
                    ON CONFLICT (agent_id, kind) DO UPDATE SET enabled = excluded.enabled
                    """, [.integer(agent.rawValue), .text(kind.rawValue), .bool(enabled)])
            }
        }
        return try await preferences(of: agent)
    }

    private static func isEnabled(_ kind: NotificationKind, for agent: AgentID, _ db: Connection) throws -> Bool {
        try db.first("SELECT enabled FROM notification_preferences WHERE agent_id = ? AND kind = ?",
                     [.integer(agent.rawValue), .text(kind.rawValue)])?.bool(0) ?? true
    }

    private static func notification(_ row: Row) -> Notification {
        Notification(
            id: row.int64(0), agentID: AgentID(row.int64(1)), kind: NotificationKind(rawValue: row.text(2)) ?? .reply,
            ticketID: row.optionalInt64(3).map(TicketID.init), ticketReference: row.text(4), title: row.text(5),
            createdAt: row.date(6), readAt: row.optionalDate(7))
    }
}
