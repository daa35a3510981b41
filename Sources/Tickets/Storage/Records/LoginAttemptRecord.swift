import Foundation

/// `login_attempts` and `login_known_addresses` rows (the sign-in throttle's memory) on the
/// caller's connection.
enum LoginAttemptRecord {
    /// The attempts for `email` after `after`.
    static func attempts(email: String, after: Date, _ db: Connection) throws -> [LoginThrottle.Attempt] {
        try db.query("SELECT at, address, failed FROM login_attempts WHERE email = ? AND at > ?", [.text(email), .date(after)])
            .map(attempt)
    }

    /// The attempts from `address` after `after`.
    static func attempts(address: String, after: Date, _ db: Connection) throws -> [LoginThrottle.Attempt] {
        try db.query("SELECT at, address, failed FROM login_attempts WHERE address = ? AND at > ?", [.text(address), .date(after)])
            .map(attempt)
    }

    /// Whether `email` signed in from `address` after `after`.
    static func isKnown(address: String, email: String, after: Date, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM login_known_addresses WHERE email = ? AND address = ? AND at > ?",
                     [.text(email), .text(address), .date(after)]) != nil
    }

    /// Records a failed attempt; returns its id.
    static func insertFailure(email: String, address: String, at: Date, _ db: Connection) throws -> Int64 {
        try db.insert("INSERT INTO login_attempts (email, address, at, failed) VALUES (?, ?, ?, 1)",
                      [.text(email), .text(address), .date(at)])
    }

    /// Deletes attempt `id`.
    static func delete(_ id: Int64, _ db: Connection) throws {
        try db.run("DELETE FROM login_attempts WHERE id = ?", [.integer(id)])
    }

    /// Deletes the attempts older than `before`.
    static func deleteAttempts(before: Date, _ db: Connection) throws {
        try db.run("DELETE FROM login_attempts WHERE at < ?", [.date(before)])
    }

    /// Deletes every attempt for `email`.
    static func deleteAttempts(email: String, _ db: Connection) throws {
        try db.run("DELETE FROM login_attempts WHERE email = ?", [.text(email)])
    }

    /// Marks attempt `id` successful and forgets the earlier failures of `email` from
    /// `address`.
    static func markSucceeded(_ id: Int64, email: String, address: String, _ db: Connection) throws {
        try db.run("UPDATE login_attempts SET failed = 0 WHERE id = ?", [.integer(id)])
        try db.run("DELETE FROM login_attempts WHERE email = ? AND address = ? AND failed = 1", [.text(email), .text(address)])
    }

    /// Remembers that `email` signed in from `address` at `at`, and forgets addresses last
    /// used before `forgetBefore`.
    static func remember(address: String, email: String, at: Date, forgetBefore: Date, _ db: Connection) throws {
        try db.run("""
            INSERT INTO login_known_addresses (email, address, at) VALUES (?, ?, ?)
            ON CONFLICT (email, address) DO UPDATE SET at = excluded.at
            """, [.text(email), .text(address), .date(at)])
        try db.run("DELETE FROM login_known_addresses WHERE at < ?", [.date(forgetBefore)])
    }

    private static func attempt(_ row: Row) -> LoginThrottle.Attempt {
        LoginThrottle.Attempt(at: row.date(0), address: row.text(1), failed: row.bool(2))
    }
}
