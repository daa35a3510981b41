extension Schema {
    /// Migration 22: webhooks and their deliveries.
    ///
    /// `webhooks.secret` is sealed with the data folder's `mail-credentials.key` (like mailbox
    /// passwords): shown once when made or rotated, never returned again. A delivery is one
    /// POST a workflow run queued (`state` queued, delivered or failed, retried with backoff);
    /// `webhook_attempts` keeps each try's response code or error for the delivery log.
    static let webhooks = """
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            url TEXT NOT NULL,
            secret BLOB NOT NULL,
            enabled INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY,
            webhook_id INTEGER NOT NULL,
            run_id INTEGER,
            event_id INTEGER,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_status INTEGER,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            delivered_at INTEGER);
        CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
        CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries(webhook_id, id);
        CREATE TABLE webhook_attempts (
            id INTEGER PRIMARY KEY,
            delivery_id INTEGER NOT NULL,
            at INTEGER NOT NULL,
            status INTEGER,
            error TEXT,
            duration_ms INTEGER NOT NULL);
        CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);
        """
}
