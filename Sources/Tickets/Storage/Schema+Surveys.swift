extension Schema {
    /// Migration 19: CSAT surveys. One row per survey: created when a ticket becomes
    /// Resolved (by the `surveys` event consumer), answered once, cancelled when the ticket
    /// is reopened first. Like access links, the row keeps the token's SHA-256 and the nonce
    /// it is derived from (with the server's link key), never the token. Reports read the
    /// answered rows (`rating IS NOT NULL`) by `answered_at`, per `resolved_by_agent_id`. Each
    /// survey keeps the question it asked; `survey_settings` (one row) holds on/off, the
    /// expiry in days and the question for new surveys.
    static let surveys = """
        CREATE TABLE csat_surveys (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            token_hash BLOB NOT NULL UNIQUE,
            nonce BLOB NOT NULL,
            status TEXT NOT NULL CHECK (status IN ('pending', 'answered', 'cancelled')),
            resolved_by_agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            rating INTEGER CHECK (rating BETWEEN 1 AND 5),
            comment TEXT,
            answered_at INTEGER,
            question TEXT NOT NULL);
        CREATE INDEX csat_surveys_ticket ON csat_surveys(ticket_id, id);
        CREATE INDEX csat_surveys_answered ON csat_surveys(answered_at, id) WHERE rating IS NOT NULL;
        CREATE TABLE survey_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            enabled INTEGER NOT NULL,
            expiry_days INTEGER NOT NULL,
            question TEXT NOT NULL,
            updated_at INTEGER NOT NULL);
        INSERT INTO survey_settings (id, enabled, expiry_days, question, updated_at)
            VALUES (1, 1, 7, 'How satisfied are you with the help you received?', 0);
        """
}
