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
        for draft in drafts where try NotificationRecord.isEnabled(draft.kind, for: draft.recipient, db) {
            if let notification = try NotificationRecord.insert(draft, cause: cause, at: at, db) { stored.append(notification) }
        }
        try EventLog.append(stored.map(DomainEvent.notificationCreated), by: .system, at: at, db)
        return stored
    }

    /// The newest notifications of `agent` (older than `before`, when given), newest first.
    public func feed(of agent: AgentID, unreadOnly: Bool = false, limit: Int = 30, before: Int64? = nil) async throws -> [Notification] {
        let limit = min(max(limit, 1), Self.maxPageSize)
        return try await database.read { db in
            try NotificationRecord.feed(of: agent, unreadOnly: unreadOnly, limit: limit, before: before, db)
        }
    }

    /// How many notifications of `agent` are unread.
    public func unreadCount(of agent: AgentID) async throws -> Int {
        try await database.read { db in try NotificationRecord.unreadCount(of: agent, db) }
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
                for id in ids { try NotificationRecord.markRead(id, of: agent, at: at, db) }
            } else {
                try NotificationRecord.markAllRead(of: agent, at: at, db)
            }
            let unread = try NotificationRecord.unreadCount(of: agent, db)
            try EventLog.append([.notificationsRead(agent, unread: unread)], by: EventActor(kind: .agent, id: agent.rawValue, name: nil),
                                at: at, db)
            return unread
        }
    }

    /// Which kinds `agent` receives (every kind is on until switched off).
    public func preferences(of agent: AgentID) async throws -> [NotificationKind: Bool] {
        try await database.read { db in
            var preferences = Dictionary(uniqueKeysWithValues: NotificationKind.allCases.map { ($0, true) })
            preferences.merge(try NotificationRecord.preferences(of: agent, db)) { _, stored in stored }
            return preferences
        }
    }

    /// Switches kinds on or off for `agent`; kinds not mentioned keep their setting.
    public func setPreferences(_ changes: [NotificationKind: Bool], of agent: AgentID) async throws -> [NotificationKind: Bool] {
        try await database.write { db in
            for (kind, enabled) in changes { try NotificationRecord.setPreference(kind, enabled: enabled, of: agent, db) }
        }
        return try await preferences(of: agent)
    }
}
