import CSQLite
import Foundation

/// One SQLite connection with a prepared-statement cache. Not thread-safe: each
/// connection is owned by one serial queue of `Database` and used from it only.
final class SQLiteConnection: Connection {
    let handle: OpaquePointer
    private var cache: [String: OpaquePointer] = [:]
    /// Set by `EventLog.append` in the current transaction; read and reset by
    /// `Database.write` to wake the event relay after the commit.
    var eventsAppended = false
    let dialect = SQLDialect.sqlite

    /// Opens (creating if needed) the database at `path` and applies the connection
    /// pragmas: WAL, foreign keys, `busy_timeout`, `synchronous=NORMAL`, a bounded page cache
    /// and no mmap. Throws `SQLiteError`.
    init(path: String, readOnly: Bool = false) throws {
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open database"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(resultCode: rc & 0xff, extendedCode: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Wait up to 5 s for a lock held by another process (backup, CLI) before SQLITE_BUSY.
        sqlite3_busy_timeout(db, 5_000)
        try execute("PRAGMA foreign_keys = ON")
        if !readOnly {
            try execute("PRAGMA journal_mode = WAL")
        }
        // NORMAL in WAL mode: a committed transaction survives a process crash (kill -9);
        // only an OS crash or power loss may roll back the last few commits. See Database.
        try execute("PRAGMA synchronous = NORMAL")
        try execute("PRAGMA temp_store = MEMORY")
        // Memory must not grow with the database: a fixed page cache per connection (the OS
        // page cache holds the rest of the file) and no memory-mapped I/O, whose touched pages
        // would count towards the process's resident size.
        try execute("PRAGMA cache_size = -\(Self.cacheKiB)")
        try execute("PRAGMA mmap_size = 0")
    }

    /// The page cache of one connection, in KiB (the writer plus two readers: 24 MiB in all).
    static let cacheKiB = 8_192

    deinit {
        for statement in cache.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without bindings or results (DDL, pragmas, BEGIN/COMMIT).
    /// Throws `SQLiteError`.
    func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw error(rc, sql: sql, message: message)
        }
    }

    /// Runs `sql` with `bindings` (positional `?`) and returns every row. Statements are
    /// prepared once per connection and cached. Throws `SQLiteError`.
    @discardableResult
    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [Row] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        try bind(bindings, to: statement, sql: sql)
        var rows: [Row] = []
        let columnCount = sqlite3_column_count(statement)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, sql: sql) }
            rows.append(row(statement, columnCount: columnCount))
        }
        return rows
    }

    /// The row `statement` stands on (after `sqlite3_step` returned `SQLITE_ROW`).
    func row(_ statement: OpaquePointer, columnCount: Int32) -> Row {
        var values: [SQLValue] = []
        values.reserveCapacity(Int(columnCount))
        for column in 0..<columnCount { values.append(value(statement, column)) }
        return Row(values: values)
    }

    /// Runs a write statement and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        try query(sql, bindings)
        return Int(sqlite3_changes(handle))
    }

    /// The rowid of the last successful INSERT on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// True while a transaction is open on this connection.
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`, rolling back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // A failed COMMIT (disk full, I/O error) is thrown like any failure. If even the
            // ROLLBACK fails, the connection must not carry the half-done transaction into
            // the next caller's BEGIN: that failure is thrown instead, naming both.
            if inTransaction {
                do { try execute("ROLLBACK") } catch let rollback as SQLiteError {
                    throw SQLiteError(resultCode: rollback.resultCode, extendedCode: rollback.extendedCode,
                                      message: "\(rollback.message) (rolling back after: \(error))", sql: "ROLLBACK")
                }
            }
            throw error
        }
    }

    /// Runs `body` inside a deferred `BEGIN ... COMMIT` (a snapshot in WAL mode), rolling back
    /// if it throws.
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if inTransaction { try execute("ROLLBACK") }
            throw error
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = cache[sql] { return statement }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, sql: sql) }
        cache[sql] = statement
        return statement
    }

    func bind(_ bindings: [SQLValue], to statement: OpaquePointer, sql: String) throws {
        for (offset, value) in bindings.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(statement, index)
            case .integer(let v): rc = sqlite3_bind_int64(statement, index, v)
            case .real(let v): rc = sqlite3_bind_double(statement, index, v)
            case .text(let s): rc = sqlite3_bind_text(statement, index, s, -1, csqlite_transient())
            case .blob(let b):
                rc = b.withUnsafeBytes {
                    sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), csqlite_transient())
                }
            }
            if rc != SQLITE_OK { throw error(rc, sql: sql) }
        }
    }

    func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT: return .text(String(cString: sqlite3_column_text(statement, column)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let base = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: base, count: count)))
        default: return .null
        }
    }

    func error(_ rc: Int32, sql: String?, message: String? = nil) -> SQLiteError {
        let extended = sqlite3_extended_errcode(handle)
        return SQLiteError(
            resultCode: rc & 0xff, extendedCode: extended,
            message: message ?? String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
