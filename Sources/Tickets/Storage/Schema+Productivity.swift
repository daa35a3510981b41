extension Schema {
    /// Migration 11: canned responses, auto-assignment rules with their rotation cursors,
    /// merging (`tickets.merged_into_id`), watchers and entity links. Threads are read in
    /// time order (merged messages keep their original times), hence the time index.
    static let productivity = """
        CREATE TABLE canned_responses (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            category TEXT,
            search_text TEXT NOT NULL,
            created_by INTEGER REFERENCES agents(id) ON DELETE SET NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE INDEX canned_responses_title ON canned_responses(title COLLATE NOCASE, id);
        CREATE TABLE assignment_rules (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            enabled INTEGER NOT NULL,
            method TEXT NOT NULL,
            categories TEXT NOT NULL,
            priorities TEXT NOT NULL,
            channels TEXT NOT NULL,
            max_open_per_agent INTEGER,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL);
        CREATE INDEX assignment_rules_position ON assignment_rules(position, id);
        CREATE TABLE assignment_rule_agents (
            rule_id INTEGER NOT NULL REFERENCES assignment_rules(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            PRIMARY KEY (rule_id, category, agent_id)) WITHOUT ROWID;
        CREATE TABLE assignment_cursors (
            rule_id INTEGER NOT NULL REFERENCES assignment_rules(id) ON DELETE CASCADE,
            category TEXT NOT NULL,
            last_agent_id INTEGER NOT NULL,
            PRIMARY KEY (rule_id, category)) WITHOUT ROWID;
        ALTER TABLE tickets ADD COLUMN merged_into_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL;
        CREATE INDEX messages_ticket_time ON messages(ticket_id, created_at, id);
        CREATE TABLE ticket_watchers (
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            agent_id INTEGER NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
            added_at INTEGER NOT NULL,
            PRIMARY KEY (ticket_id, agent_id)) WITHOUT ROWID;
        CREATE INDEX ticket_watchers_agent ON ticket_watchers(agent_id, ticket_id);
        CREATE TABLE ticket_links (
            id INTEGER PRIMARY KEY,
            ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            url TEXT,
            target_ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
            created_by INTEGER REFERENCES agents(id) ON DELETE SET NULL,
            created_at INTEGER NOT NULL);
        CREATE INDEX ticket_links_ticket ON ticket_links(ticket_id, id);
        CREATE INDEX ticket_links_target ON ticket_links(target_ticket_id, id) WHERE target_ticket_id IS NOT NULL;
        """
}
