extension Schema {
    /// Migration 10: the notification feed and per-agent preferences.
    static let notifications = """
        CREATE TABLE notifications (
            id INTEGER PRIMARY KEY,
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
            ticket_reference TEXT NOT NULL,
            title TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            read_at INTEGER);
        CREATE INDEX notifications_agent ON notifications(agent_id, id);
        CREATE INDEX notifications_unread ON notifications(agent_id) WHERE read_at IS NULL;
        CREATE TABLE notification_preferences (
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            PRIMARY KEY (agent_id, kind)) WITHOUT ROWID;
        """
}
