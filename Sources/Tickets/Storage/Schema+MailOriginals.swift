extension Schema {
    /// Migration 20: the sender and the raw message of each ingested email, the latter kept in
    /// the attachment store (content-addressed, like attachments) so an agent can download the
    /// original. The partial index serves the orphan sweep's "does a row still name this file"
    /// check.
    static let mailOriginals = """
        ALTER TABLE mail_messages ADD COLUMN from_address TEXT;
        ALTER TABLE mail_messages ADD COLUMN raw_storage_key TEXT;
        ALTER TABLE mail_messages ADD COLUMN raw_size INTEGER;
        CREATE INDEX mail_messages_raw ON mail_messages(raw_storage_key) WHERE raw_storage_key IS NOT NULL;
        """
}
