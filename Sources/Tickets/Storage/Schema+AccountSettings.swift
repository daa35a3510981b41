extension Schema {
    /// One row (id 1) holding the account name and its logo. The logo is a small raster
    /// image kept in the database so backups carry it.
    static let accountSettings = """
        CREATE TABLE account_settings (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            logo BLOB,
            logo_content_type TEXT,
            updated_at INTEGER NOT NULL);
        INSERT INTO account_settings (id, name, updated_at) VALUES (1, 'Help Desk', 0);
        """
}
