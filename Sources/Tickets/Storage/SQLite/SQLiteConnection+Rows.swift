import CSQLite

extension SQLiteConnection {
    /// Runs `sql` with `bindings` and calls `body` with each row as SQLite steps to it, so a
    /// table of millions of rows is never held at once (`query` keeps every row). The statement
    /// is prepared for this call only. Throws `SQLiteError`, or what `body` throws (stepping
    /// stops there).
    func forEachRow(_ sql: String, _ bindings: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql: sql) }
        defer { sqlite3_finalize(statement) }
        try bind(bindings, to: statement, sql: sql)
        let columnCount = sqlite3_column_count(statement)
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw error(step, sql: sql) }
            try body(row(statement, columnCount: columnCount))
        }
    }
}
