extension Database {
    /// What a benchmark reports about the database it measured.
    public struct Facts: Sendable {
        /// The engine and its version, and on PostgreSQL the server settings that decide
        /// its speed and durability ("PostgreSQL 15.20; shared_buffers 128MB, ...").
        public let engine: String
        /// The database's size on disk in bytes (SQLite: the main file; PostgreSQL:
        /// `pg_database_size`).
        public let bytes: Int64
    }

    /// The engine, its settings and the database's size. Throws the connection's errors.
    public func facts() async throws -> Facts {
        switch dialect {
        case .sqlite:
            return try await read { db in
                let version = try db.first("SELECT sqlite_version()")?.text(0) ?? "?"
                let pages = try db.first("PRAGMA page_count")?.int64(0) ?? 0
                let pageSize = try db.first("PRAGMA page_size")?.int64(0) ?? 0
                return Facts(engine: "SQLite \(version)", bytes: pages * pageSize)
            }
        case .postgres:
            let settings = ["shared_buffers", "effective_cache_size", "work_mem", "fsync", "synchronous_commit",
                            "full_page_writes", "max_connections"]
            return try await read { db in
                let row = try db.first("""
                    SELECT current_setting('server_version'), pg_database_size(current_database()),
                        \(settings.map { "current_setting('\($0)')" }.joined(separator: ", "))
                    """)
                let values = settings.indices.map { "\(settings[$0]) \(row?.text($0 + 2) ?? "?")" }
                return Facts(engine: "PostgreSQL \(row?.text(0) ?? "?"); " + values.joined(separator: ", "),
                             bytes: row?.int64(1) ?? 0)
            }
        }
    }
}
