import Foundation

/// A numbered schema change. Migrations are applied in order, each in its own transaction,
/// and recorded in `schema_migrations`; applied numbers are never run again.
struct Migration: Sendable {
    let number: Int
    let name: String
    let sql: String
}

/// Applies pending migrations on the writer connection (SQLite's `Schema.migrations` or
/// PostgreSQL's `PostgresSchema.migrations`).
struct Migrator {
    let migrations: [Migration]
    /// The time recorded in `applied_at`.
    var now: () -> Date = { Date() }

    /// Creates `schema_migrations` if needed and applies every migration not yet recorded,
    /// each inside one write transaction that re-checks the record first (on PostgreSQL two
    /// processes may start at once; the writer lock orders them). Returns how many were
    /// applied. Throws `SQLiteError` or `PostgresError`.
    @discardableResult
    func migrate(_ connection: Connection) throws -> Int {
        try connection.transaction {
            try connection.execute("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """)
        }
        let done = Set(try Self.applied(connection))
        var count = 0
        for migration in migrations.sorted(by: { $0.number < $1.number }) where !done.contains(migration.number) {
            let applied = try connection.transaction { () -> Bool in
                let recorded = try connection.first(
                    "SELECT number FROM schema_migrations WHERE number = ?", [.int(migration.number)])
                guard recorded == nil else { return false }
                try connection.execute(migration.sql)
                try connection.run(
                    "INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    [.int(migration.number), .text(migration.name), .text(Self.timestamp(now()))])
                return true
            }
            if applied { count += 1 }
        }
        return count
    }

    /// The applied migration numbers, ascending.
    static func applied(_ connection: Connection) throws -> [Int] {
        try connection.query("SELECT number FROM schema_migrations ORDER BY number").map { $0.int(0) }
    }

    /// `date` as `YYYY-MM-DD HH:MM:SS` in UTC: the text SQLite's `datetime('now')` wrote into
    /// `applied_at` before, so old and new rows read alike.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(c.year ?? 1970)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }
}
