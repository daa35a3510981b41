extension Schema {
    /// Migration 15: mailboxes (email in over IMAP, out over SMTP).
    ///
    /// Passwords are AES-256-GCM sealed with the data folder's `mail-credentials.key`
    /// (`CredentialKey`), never stored in clear. `uid_validity` and `last_uid` are the IMAP
    /// cursor: the last message taken, so none is taken twice or skipped across restarts.
    static let mail = """
        CREATE TABLE mailboxes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            address TEXT NOT NULL,
            display_name TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            imap_host TEXT NOT NULL,
            imap_port INTEGER NOT NULL,
            imap_security TEXT NOT NULL,
            imap_username TEXT NOT NULL,
            imap_password BLOB NOT NULL,
            imap_folder TEXT NOT NULL,
            imap_move_to TEXT,
            smtp_host TEXT NOT NULL,
            smtp_port INTEGER NOT NULL,
            smtp_security TEXT NOT NULL,
            smtp_username TEXT NOT NULL,
            smtp_password BLOB NOT NULL,
            verify_certificates INTEGER NOT NULL DEFAULT 1,
            uid_validity INTEGER,
            last_uid INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        """

    /// Migration 16: the Message-IDs of every email that became part of a ticket, in or out,
    /// for threading (a reply's In-Reply-To/References name one of them) and for taking an
    /// email only once (a mailbox delivering it twice, `helpdesk ingest` run twice); and the
    /// outbox of emails to send, one per event that caused one (`event_id` UNIQUE: a replayed
    /// event cannot queue a second email), with everything needed to send it in `payload`.
    static let mailMessages = """
        CREATE TABLE mail_messages (
            id INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL UNIQUE,
            ticket_id INTEGER,
            mailbox_id INTEGER,
            direction TEXT NOT NULL,
            thread_message_id INTEGER,
            created_at INTEGER NOT NULL);
        CREATE INDEX mail_messages_ticket ON mail_messages(ticket_id);
        CREATE TABLE mail_outbox (
            id INTEGER PRIMARY KEY,
            event_id INTEGER NOT NULL UNIQUE,
            ticket_id INTEGER NOT NULL,
            mailbox_id INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            sent_at INTEGER);
        CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
        """
}
