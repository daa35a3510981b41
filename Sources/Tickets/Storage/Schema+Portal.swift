extension Schema {
    /// Migration 18: one requester access link per ticket. The table holds the SHA-256 of the
    /// token (what a presented token is looked up by) and the random nonce the token is derived
    /// from with the server's link key (`AccessLinkKey`, a file beside the database): a copy of
    /// the database alone opens no ticket and yields no link.
    static let portalLinks = """
        CREATE TABLE ticket_access_links (
            ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
            token_hash BLOB NOT NULL UNIQUE,
            nonce BLOB NOT NULL,
            generation INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER);
        """
}
