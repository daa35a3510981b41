/// A numbered schema change. Migrations are applied in order, each in its own transaction,
/// and recorded in `schema_migrations`; applied numbers are never run again.
struct Migration: Sendable {
    let number: Int
    let name: String
    let sql: String
}

/// Applies pending migrations on the writer connection.
struct Migrator {
    let migrations: [Migration]

    /// Creates `schema_migrations` if needed and applies every migration not yet recorded,
    /// each inside one transaction. Returns how many were applied. Throws `SQLiteError`.
    @discardableResult
    func migrate(_ connection: Connection) throws -> Int {
        try connection.execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
            """)
        let done = Set(try Self.applied(connection))
        var count = 0
        for migration in migrations.sorted(by: { $0.number < $1.number }) where !done.contains(migration.number) {
            try connection.transaction {
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, datetime('now'))",
                    [.int(migration.number), .text(migration.name)])
            }
            count += 1
        }
        return count
    }

    /// The applied migration numbers, ascending.
    static func applied(_ connection: Connection) throws -> [Int] {
        try connection.query("SELECT number FROM schema_migrations ORDER BY number").map { $0.int(0) }
    }
}
