extension Schema {
    /// Migration 13: the event log and its consumers' cursors.
    ///
    /// `events` holds every domain event, written in the transaction of the change that
    /// caused it; its id is the commit order (one writer). AUTOINCREMENT so that an id is
    /// never reused after pruning empties the table: consumers and live clients compare ids.
    /// `event_cursors` holds, per consumer, the id of the last event it has fully handled.
    /// `notifications.event_id` ties a notification to the event that caused it, so a
    /// consumer that replays an event after a crash cannot store it twice.
    static let events = """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            ticket_id INTEGER,
            actor_kind TEXT NOT NULL,
            actor_id INTEGER,
            actor_name TEXT,
            payload TEXT NOT NULL,
            at INTEGER NOT NULL);
        CREATE INDEX events_at ON events(at);
        CREATE TABLE event_cursors (
            consumer TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            updated_at INTEGER NOT NULL) WITHOUT ROWID;
        ALTER TABLE notifications ADD COLUMN event_id INTEGER;
        CREATE UNIQUE INDEX notifications_event ON notifications(event_id, agent_id) WHERE event_id IS NOT NULL;
        """
}
