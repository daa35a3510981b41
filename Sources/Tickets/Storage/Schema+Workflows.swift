extension Schema {
    /// Migration 21: workflows, their run log, the emails workflows decide about, and an outbox
    /// that also carries workflow emails.
    ///
    /// - `workflows`: trigger, conditions and actions as JSON (validated when saved).
    /// - `workflow_runs`: one row per (workflow, event) that matched a trigger; `run_key`
    ///   UNIQUE (`<workflow>:<event>`, or `<workflow>:t<ticket>:<since>` for a time trigger)
    ///   makes a replayed event run nothing twice. `caused_first`/`caused_last` are the
    ///   event ids the run's actions logged, and `depth` how many workflow runs led to it:
    ///   an event inside that range is at `depth`, which bounds workflows triggering workflows.
    /// - `inbound_emails`: an email that did not join a ticket, as the conditions see it
    ///   (headers, recipients, text) with its staged files, kept for `email.received`
    ///   workflows; `ticket_id` once a ticket was made of it. `inbound_email_files` lets the
    ///   attachment sweep see that a staged file is still wanted.
    /// - `mail_outbox` rebuilt: `event_id` may be NULL (a workflow email belongs to a run, not
    ///   to one event), `automatic` marks workflow mail (sent with Auto-Submitted:
    ///   auto-replied) and `to_address` serves the per-recipient cap on automatic mail.
    static let workflows = """
        CREATE TABLE workflows (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            enabled INTEGER NOT NULL,
            trigger_kind TEXT NOT NULL,
            trigger_json TEXT NOT NULL,
            conditions_json TEXT NOT NULL,
            actions_json TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE TABLE workflow_runs (
            id INTEGER PRIMARY KEY,
            run_key TEXT NOT NULL UNIQUE,
            workflow_id INTEGER NOT NULL,
            workflow_name TEXT NOT NULL,
            event_id INTEGER,
            trigger_kind TEXT NOT NULL,
            ticket_id INTEGER,
            email_id INTEGER,
            depth INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            conditions_json TEXT NOT NULL,
            actions_json TEXT NOT NULL,
            caused_first INTEGER,
            caused_last INTEGER,
            at INTEGER NOT NULL);
        CREATE INDEX workflow_runs_workflow ON workflow_runs(workflow_id, id);
        CREATE INDEX workflow_runs_ticket ON workflow_runs(ticket_id, id) WHERE ticket_id IS NOT NULL;
        CREATE INDEX workflow_runs_caused ON workflow_runs(caused_last) WHERE caused_last IS NOT NULL;
        CREATE TABLE inbound_emails (
            id INTEGER PRIMARY KEY,
            message_key TEXT NOT NULL UNIQUE,
            mailbox_id INTEGER,
            from_address TEXT NOT NULL,
            from_name TEXT,
            subject TEXT NOT NULL,
            body TEXT NOT NULL,
            recipients_json TEXT NOT NULL,
            headers_json TEXT NOT NULL,
            notes_json TEXT NOT NULL,
            files_json TEXT NOT NULL,
            auto_reply_suppression TEXT,
            ticket_id INTEGER,
            received_at INTEGER NOT NULL,
            cc_json TEXT NOT NULL DEFAULT '[]');
        CREATE INDEX inbound_emails_ticket ON inbound_emails(ticket_id) WHERE ticket_id IS NOT NULL;
        CREATE TABLE inbound_email_files (
            email_id INTEGER NOT NULL REFERENCES inbound_emails(id) ON DELETE CASCADE,
            storage_key TEXT NOT NULL);
        CREATE INDEX inbound_email_files_key ON inbound_email_files(storage_key);
        CREATE TABLE mail_outbox_next (
            id INTEGER PRIMARY KEY,
            event_id INTEGER UNIQUE,
            ticket_id INTEGER NOT NULL,
            mailbox_id INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            last_error TEXT,
            created_at INTEGER NOT NULL,
            sent_at INTEGER,
            automatic INTEGER NOT NULL DEFAULT 0,
            to_address TEXT);
        INSERT INTO mail_outbox_next (id, event_id, ticket_id, mailbox_id, message_id, payload, state, attempts,
                                      next_attempt_at, last_error, created_at, sent_at)
            SELECT id, event_id, ticket_id, mailbox_id, message_id, payload, state, attempts, next_attempt_at, last_error,
                   created_at, sent_at FROM mail_outbox;
        DROP TABLE mail_outbox;
        ALTER TABLE mail_outbox_next RENAME TO mail_outbox;
        CREATE INDEX mail_outbox_due ON mail_outbox(state, next_attempt_at);
        CREATE INDEX mail_outbox_automatic ON mail_outbox(to_address, created_at) WHERE automatic = 1;
        """
}
