extension PostgresSchema {
    /// `helpdesk_search_fold(text)`: text as the search indexes see it, the twin of SQLite's
    /// `unicode61 remove_diacritics 2` tokenizer. Lower-cased (ICU's root locale when the
    /// server has ICU, so Greek or Cyrillic fold in a C-locale database too; else the
    /// database's own rules), accents removed (Unicode decomposition, then the combining marks
    /// U+0300-U+036F dropped: "Café" is "cafe"), and every ASCII character that is not a
    /// letter or digit, plus common Unicode punctuation and spaces, made a space: the
    /// `simple` parser then sees only words, so "ada.lovelace@example.com" is four words as
    /// in FTS5 rather than one email token, and "e-mail" two. IMMUTABLE: generated columns
    /// and the query builder (`PostgresTextSearch`) use the same function, so a word typed
    /// is folded exactly like the stored text.
    static let searchFold = #"""
        DO $$
        BEGIN
            EXECUTE format($f$
                CREATE FUNCTION helpdesk_search_fold(input TEXT) RETURNS TEXT
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                RETURN regexp_replace(
                    regexp_replace(normalize(lower(input %s), NFD), '[\u0300-\u036f]+', '', 'g'),
                    '[\u0001-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u00a9\u00ab-\u00b1\u00b4\u00b6-\u00b8\u00bb\u00bf\u00d7\u00f7\u2000-\u206f\u2190-\u23ff\u2500-\u27bf\u3000-\u303f\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]+',
                    ' ', 'g')
                $f$,
                CASE WHEN EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN 'COLLATE "und-x-icu"' ELSE '' END);
        END $$;
        """#

    /// SQLite migrations 5, 12 and 27 (FTS5 tables, their triggers and vocabularies): a
    /// stored `search_vector` on tickets (subject and description), messages (body) and
    /// contacts (name and email), kept by PostgreSQL itself on every insert and update, with
    /// a GIN index each. The `simple` configuration neither stems nor drops stop words, like
    /// FTS5; a prefix (`'pri':*`) is answered by the same GIN index, so no vocabulary table
    /// is needed. The first field is weighted A and the second B, so a phrase can be held to
    /// one field (`PostgresTextSearch`), as an FTS5 phrase is to one column.
        static let search = """
        ALTER TABLE tickets ADD COLUMN search_vector TSVECTOR GENERATED ALWAYS AS
            (setweight(to_tsvector('simple', helpdesk_search_fold(subject)), 'A')
             || setweight(to_tsvector('simple', helpdesk_search_fold(description)), 'B')) STORED;
        CREATE INDEX tickets_search ON tickets USING gin (search_vector);
        ALTER TABLE messages ADD COLUMN search_vector TSVECTOR GENERATED ALWAYS AS
            (to_tsvector('simple', helpdesk_search_fold(body))) STORED;
        CREATE INDEX messages_search ON messages USING gin (search_vector);
        ALTER TABLE contacts ADD COLUMN search_vector TSVECTOR GENERATED ALWAYS AS
            (setweight(to_tsvector('simple', helpdesk_search_fold(name)), 'A')
             || setweight(to_tsvector('simple', helpdesk_search_fold(email)), 'B')) STORED;
        CREATE INDEX contacts_search ON contacts USING gin (search_vector);
        """
}
