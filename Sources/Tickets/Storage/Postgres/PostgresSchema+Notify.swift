extension PostgresSchema {
    /// Migration 3: every statement that inserts into `events` notifies `helpdesk_events`.
    /// PostgreSQL delivers a notification at the commit of its transaction (never for one
    /// rolled back) and sends one per channel and payload per transaction, so each commit
    /// that appended events wakes every node's relay once (`PostgresNodeLink`), whichever
    /// process wrote it: a server node, `helpdesk ingest` or `helpdesk user add`.
    /// (Migration 2 is reserved for list-planning indexes.)
    static let eventsNotify = """
        CREATE FUNCTION helpdesk_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('helpdesk_events', '');
            RETURN NULL;
        END $$;
        CREATE TRIGGER events_notify AFTER INSERT ON events
            FOR EACH STATEMENT EXECUTE FUNCTION helpdesk_events_notify();
        """
}
