extension Schema {
    /// Migration 27: what the search box and the list pages need to answer in milliseconds.
    ///
    /// - `contact_fts`: requesters by the words of their name or email, with a prefix index
    ///   for one to three letters (an FTS5 prefix query without one merges every matching
    ///   term's rows first) and its vocabulary (`contact_fts_terms`) for longer prefixes.
    ///   Kept by triggers; contacts are written rarely.
    /// - Both ticket indexes rebuilt with `prefix='2 3'`: a prefix of two or three letters
    ///   typed in the search box (more than `SQLiteTicketSearch.maxCompletions` words start with
    ///   it) reads its own index entry newest first and stops at the page, instead of merging
    ///   the rows of hundreds of terms (585 ms p99 before on 1M tickets). Their automatic
    ///   merges are off (`automerge=0`): merging segments inside a ticket's creating
    ///   transaction made creation's p99 ~12 ms with the larger index; `Maintenance` merges
    ///   in small steps between writes instead (`TicketService.mergeSearchIndexes`).
    /// - `tickets_filter_count`: the capped count beside a page tests status, assignee,
    ///   category, priority and channel inside one index, without reading each ticket's row.
    static let searchIndexes = """
        CREATE VIRTUAL TABLE contact_fts USING fts5(name, email,
            content='contacts', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='1 2 3');
        CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
            INSERT INTO contact_fts (rowid, name, email) VALUES (new.id, new.name, new.email);
        END;
        CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
            INSERT INTO contact_fts (contact_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
        END;
        CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name, email ON contacts BEGIN
            INSERT INTO contact_fts (contact_fts, rowid, name, email) VALUES ('delete', old.id, old.name, old.email);
            INSERT INTO contact_fts (rowid, name, email) VALUES (new.id, new.name, new.email);
        END;
        INSERT INTO contact_fts (contact_fts) VALUES ('rebuild');
        CREATE VIRTUAL TABLE contact_fts_terms USING fts5vocab(contact_fts, instance);

        DROP TABLE ticket_fts_terms;
        DROP TABLE message_fts_terms;
        DROP TABLE ticket_fts;
        CREATE VIRTUAL TABLE ticket_fts USING fts5(subject, description,
            content='tickets', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
        INSERT INTO ticket_fts (ticket_fts) VALUES ('rebuild');
        INSERT INTO ticket_fts (ticket_fts, rank) VALUES ('automerge', 0);
        DROP TABLE message_fts;
        CREATE VIRTUAL TABLE message_fts USING fts5(body,
            content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3');
        INSERT INTO message_fts (message_fts) VALUES ('rebuild');
        INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 0);
        CREATE VIRTUAL TABLE ticket_fts_terms USING fts5vocab(ticket_fts, instance);
        CREATE VIRTUAL TABLE message_fts_terms USING fts5vocab(message_fts, instance);

        CREATE INDEX tickets_filter_count ON tickets(status, assignee_id, category, priority, channel);
        """
}
