import CSQLite

extension Database {
    /// The full-text indexes whose segments `mergeSearchIndexes` merges (migration 27 turned
    /// their automatic merges off).
    static let mergedSearchIndexes = ["ticket_fts", "message_fts"]

    /// One incremental merge step per full-text index, each its own short write transaction
    /// of at most `pages` written pages, so ticket writes interleave with the merging instead
    /// of paying for it inside their own transactions. A step does nothing when no level of
    /// an index holds enough segments (FTS5's `usermerge`, 4). Returns true when a step
    /// merged something (call again until false); always false on PostgreSQL. Throws `SQLiteError`.
    @discardableResult
    public func mergeSearchIndexes(pages: Int = 256) async throws -> Bool {
        // PostgreSQL's text search indexes need no merging.
        guard dialect == .sqlite else { return false }
        var merged = false
        for table in Self.mergedSearchIndexes {
            let worked = try await writeSQLite { db in
                let before = sqlite3_total_changes(db.handle)
                _ = try db.run("INSERT INTO \(table) (\(table), rank) VALUES ('merge', ?)", [.int(pages)])
                // FTS5 documents total_changes as the way to tell whether a merge did any work.
                return sqlite3_total_changes(db.handle) - before > 1
            }
            merged = merged || worked
        }
        return merged
    }
}
