extension Schema {
    /// Sign-in attempts recorded before the password is checked (`failed` stays 1 until it
    /// proves right), so concurrent guesses are all counted; addresses where an account
    /// signed in, which its own failures cannot delay; and API tokens with an expiry and a
    /// scope (`read_only`; `permissions` as space-separated names, NULL for all the owner's).
    /// `login_attempts_at` keeps the purge of old attempts (on every sign-in) a range delete
    /// even when a distributed flood fills the table.
    static let accountHardening = """
        DROP TABLE login_failures;
        CREATE TABLE login_attempts (
            id INTEGER PRIMARY KEY,
            email TEXT NOT NULL,
            address TEXT NOT NULL,
            at INTEGER NOT NULL,
            failed INTEGER NOT NULL);
        CREATE INDEX login_attempts_email ON login_attempts(email, at);
        CREATE INDEX login_attempts_address ON login_attempts(address, at);
        CREATE INDEX login_attempts_at ON login_attempts(at);
        CREATE TABLE login_known_addresses (
            email TEXT NOT NULL,
            address TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (email, address)) WITHOUT ROWID;
        ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
        ALTER TABLE api_tokens ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE api_tokens ADD COLUMN permissions TEXT;
        """
}
