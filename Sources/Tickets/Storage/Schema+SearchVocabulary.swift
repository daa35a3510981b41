extension Schema {
    /// Read-only views of the terms in both full-text indexes (`fts5vocab`, one row per
    /// occurrence, in term order). A search looks up the few terms that start with the last
    /// word typed and matches them as whole terms, which FTS5 can stop early on, instead of a
    /// prefix query that first merges every row of every such term. They store nothing.
    static let searchVocabulary = """
        CREATE VIRTUAL TABLE ticket_fts_terms USING fts5vocab(ticket_fts, instance);
        CREATE VIRTUAL TABLE message_fts_terms USING fts5vocab(message_fts, instance);
        """
}
