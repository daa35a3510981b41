import CSQLite

extension SQLiteConnection {
    /// Steps `sql` (no bindings) and calls `body` with the first three columns of each row as
    /// integers (NULL reads as 0), without materialising rows: for start-up loads over
    /// millions of rows. The statement is prepared for this call only. Throws `SQLiteError`.
    func scanIntegerTriples(_ sql: String, _ body: (Int64, Int64, Int64) -> Void) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql: sql) }
        defer { sqlite3_finalize(statement) }
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw error(step, sql: sql) }
            body(sqlite3_column_int64(statement, 0), sqlite3_column_int64(statement, 1), sqlite3_column_int64(statement, 2))
        }
    }
}
