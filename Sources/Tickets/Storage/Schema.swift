/// The numbered migrations of the help desk schema. Never edit an applied migration;
/// append a new one. Dates are integer milliseconds since 1970; emails are stored
/// lower-cased so UNIQUE is case-insensitive for every script, not only ASCII.
enum Schema {
    static let migrations: [Migration] = [
        Migration(number: 1, name: "accounts", sql: accounts),
        Migration(number: 2, name: "built-in roles", sql: builtInRoles),
        Migration(number: 3, name: "tickets", sql: tickets),
        Migration(number: 4, name: "thread and audit", sql: thread),
        Migration(number: 5, name: "full-text search", sql: search),
        Migration(number: 6, name: "account settings", sql: accountSettings),
        Migration(number: 7, name: "assignee list index", sql: assigneeList),
        Migration(number: 8, name: "assignee by priority index", sql: assigneePriority),
        Migration(number: 9, name: "sla policies and state", sql: sla),
        Migration(number: 10, name: "notifications", sql: notifications),
        Migration(number: 11, name: "productivity", sql: productivity),
        Migration(number: 12, name: "full-text vocabulary", sql: searchVocabulary),
        Migration(number: 13, name: "event log", sql: events),
        Migration(number: 14, name: "account hardening", sql: accountHardening),
        Migration(number: 15, name: "mailboxes", sql: mail),
        Migration(number: 16, name: "mail message ids", sql: mailMessages),
        Migration(number: 17, name: "report indexes", sql: reports),
        Migration(number: 18, name: "requester access links", sql: portalLinks),
        Migration(number: 19, name: "csat surveys", sql: surveys),
        Migration(number: 20, name: "original emails", sql: mailOriginals),
        Migration(number: 21, name: "workflows", sql: workflows),
        Migration(number: 22, name: "webhooks", sql: webhooks),
        Migration(number: 23, name: "link status text", sql: linkStatusText),
        Migration(number: 24, name: "report roll-ups", sql: reportRollup),
        Migration(number: 25, name: "ccs, survey delay, survey emails", sql: channel),
        Migration(number: 27, name: "search indexes", sql: searchIndexes),
    ]

    static let accounts = """
        CREATE TABLE roles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            built_in INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE role_permissions (
            role_id INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
            permission TEXT NOT NULL,
            PRIMARY KEY (role_id, permission)) WITHOUT ROWID;
        CREATE TABLE agents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role_id INTEGER NOT NULL REFERENCES roles(id),
            active INTEGER NOT NULL DEFAULT 1,
            away INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL);
        CREATE INDEX agents_role ON agents(role_id);
        CREATE TABLE sessions (
            token_hash BLOB PRIMARY KEY,
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            csrf_token TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            last_seen_at INTEGER NOT NULL);
        CREATE INDEX sessions_agent ON sessions(agent_id);
        CREATE TABLE login_failures (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            ip TEXT NOT NULL,
            at INTEGER NOT NULL);
        CREATE INDEX login_failures_email ON login_failures(email, at);
        CREATE INDEX login_failures_ip ON login_failures(ip, at);
        CREATE TABLE api_tokens (
            id INTEGER PRIMARY KEY,
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            token_hash BLOB NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            last_used_at INTEGER,
            revoked_at INTEGER);
        CREATE INDEX api_tokens_agent ON api_tokens(agent_id);
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            email TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL);
        """

    static let builtInRoles = """
        INSERT INTO roles (id, name, built_in) VALUES (1, 'Administrator', 1), (2, 'Supervisor', 1), (3, 'Agent', 1);
        INSERT INTO role_permissions (role_id, permission) VALUES
            (1, 'ticket.view'), (1, 'ticket.create'), (1, 'ticket.update'), (1, 'ticket.delete'),
            (1, 'ticket.assign'), (1, 'ticket.bulk'), (1, 'ticket.export'), (1, 'sla.manage'),
            (1, 'canned.manage'), (1, 'assignment.manage'), (1, 'workflow.manage'), (1, 'users.manage'),
            (1, 'roles.manage'), (1, 'reports.view'), (1, 'account.manage'), (1, 'audit.view'),
            (2, 'ticket.view'), (2, 'ticket.create'), (2, 'ticket.update'), (2, 'ticket.delete'),
            (2, 'ticket.assign'), (2, 'ticket.bulk'), (2, 'ticket.export'), (2, 'reports.view'),
            (2, 'sla.manage'), (2, 'canned.manage'), (2, 'assignment.manage'), (2, 'audit.view'),
            (3, 'ticket.view'), (3, 'ticket.create'), (3, 'ticket.update'), (3, 'ticket.assign'),
            (3, 'ticket.export');
        """

    /// Every list filter has an index ending in the sort key and `id`, so a filtered,
    /// sorted keyset page is an index range scan. `due_sort` puts tickets without a due
    /// date last; `priority_rank` orders Urgent (0) before Low (3).
    static let tickets = """
        CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO counters (name, value) VALUES ('ticket_number', 0);
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            number INTEGER NOT NULL UNIQUE,
            subject TEXT NOT NULL,
            description TEXT NOT NULL,
            status TEXT NOT NULL,
            priority TEXT NOT NULL,
            priority_rank INTEGER NOT NULL,
            category TEXT NOT NULL,
            channel TEXT NOT NULL,
            due_at INTEGER,
            due_sort INTEGER GENERATED ALWAYS AS (IFNULL(due_at, 9223372036854775807)) VIRTUAL,
            requester_id INTEGER NOT NULL REFERENCES contacts(id),
            assignee_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            first_response_at INTEGER,
            resolved_at INTEGER,
            closed_at INTEGER,
            version INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX tickets_updated ON tickets(updated_at, id);
        CREATE INDEX tickets_created ON tickets(created_at, id);
        CREATE INDEX tickets_priority ON tickets(priority_rank, id);
        CREATE INDEX tickets_due ON tickets(due_sort, id);
        CREATE INDEX tickets_status_updated ON tickets(status, updated_at, id);
        CREATE INDEX tickets_status_created ON tickets(status, created_at, id);
        CREATE INDEX tickets_status_priority ON tickets(status, priority_rank, id);
        CREATE INDEX tickets_status_due ON tickets(status, due_sort, id);
        CREATE INDEX tickets_status_number ON tickets(status, number);
        CREATE INDEX tickets_assignee_status ON tickets(assignee_id, status, updated_at, id);
        CREATE INDEX tickets_priority_updated ON tickets(priority, assignee_id, updated_at, id);
        CREATE INDEX tickets_category_updated ON tickets(category, updated_at, id);
        CREATE INDEX tickets_channel_updated ON tickets(channel, updated_at, id);
        CREATE INDEX tickets_requester_updated ON tickets(requester_id, updated_at, id);
        CREATE TABLE ticket_tags (
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (ticket_id, tag)) WITHOUT ROWID;
        CREATE INDEX ticket_tags_tag ON ticket_tags(tag, ticket_id);
        """

    static let thread = """
        CREATE TABLE messages (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            author_agent_id INTEGER REFERENCES agents(id) ON DELETE SET NULL,
            author_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX messages_ticket ON messages(ticket_id, id);
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            file_name TEXT NOT NULL,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            storage_key TEXT NOT NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX attachments_message ON attachments(message_id);
        CREATE INDEX attachments_key ON attachments(storage_key);
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER,
            actor_kind TEXT NOT NULL,
            actor_id INTEGER,
            action TEXT NOT NULL,
            before_json TEXT,
            after_json TEXT,
            at INTEGER NOT NULL);
        CREATE INDEX audit_ticket ON audit_log(ticket_id, id);
        CREATE INDEX audit_at ON audit_log(at, id);
        """

    /// "Assigned to X / me / nobody" sorted by last update (the default list) reads one index
    /// range in order; `tickets_assignee_status` puts status between and would sort every match.
    static let assigneeList = """
        CREATE INDEX tickets_assignee_updated ON tickets(assignee_id, updated_at, id);
        """

    /// An agent's queue sorted by priority (a triage view) reads one index range in order.
    static let assigneePriority = """
        CREATE INDEX tickets_assignee_priority ON tickets(assignee_id, priority_rank, id);
        """

    /// External-content FTS5 tables kept in sync by triggers (cascade deletes fire them too).
    static let search = """
        CREATE VIRTUAL TABLE ticket_fts USING fts5(subject, description,
            content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
            INSERT INTO ticket_fts (rowid, subject, description) VALUES (new.id, new.subject, new.description);
        END;
        CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
            INSERT INTO ticket_fts (ticket_fts, rowid, subject, description)
                VALUES ('delete', old.id, old.subject, old.description);
        END;
        CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description ON tickets BEGIN
            INSERT INTO ticket_fts (ticket_fts, rowid, subject, description)
                VALUES ('delete', old.id, old.subject, old.description);
            INSERT INTO ticket_fts (rowid, subject, description) VALUES (new.id, new.subject, new.description);
        END;
        CREATE VIRTUAL TABLE message_fts USING fts5(body,
            content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
            INSERT INTO message_fts (rowid, body) VALUES (new.id, new.body);
        END;
        CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
            INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', old.id, old.body);
        END;
        CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
            INSERT INTO message_fts (message_fts, rowid, body) VALUES ('delete', old.id, old.body);
            INSERT INTO message_fts (rowid, body) VALUES (new.id, new.body);
        END;
        """
}
