import CSQLite
import Foundation

extension Database {
    /// Copies a consistent snapshot of the live database to `destination` with SQLite's
    /// online backup API (`sqlite3_backup_init/step/finish`). Writers keep working during
    /// the copy. The attachments folder is not copied (the CLI does that). Throws `SQLiteError`,
    /// or `PostgresError` (`.usage`) on a PostgreSQL database.
    public func backup(to destination: String) async throws {
        guard case .sqlite(let source) = location else {
            throw PostgresError(kind: .usage, message: "backup copies an SQLite database; use pg_dump for PostgreSQL")
        }
        try await Task.detached {
            try Self.copy(from: source, to: destination)
        }.value
    }

    private static func copy(from sourcePath: String, to destinationPath: String) throws {
        let source = try SQLiteConnection(path: sourcePath)
        var target: OpaquePointer?
        let rc = sqlite3_open_v2(destinationPath, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        guard rc == SQLITE_OK, let target else {
            if let target { sqlite3_close_v2(target) }
            throw SQLiteError(resultCode: rc, extendedCode: rc, message: "cannot open backup target", sql: nil)
        }
        defer { sqlite3_close_v2(target) }
        guard let backup = sqlite3_backup_init(target, "main", source.handle, "main") else {
            throw SQLiteError(
                resultCode: sqlite3_errcode(target), extendedCode: sqlite3_extended_errcode(target),
                message: String(cString: sqlite3_errmsg(target)), sql: nil)
        }
        var step: Int32
        repeat {
            // -1 copies every page in one step under one read transaction: a consistent snapshot.
            step = sqlite3_backup_step(backup, -1)
            if step == SQLITE_BUSY || step == SQLITE_LOCKED { sqlite3_sleep(10) }
        } while step == SQLITE_OK || step == SQLITE_BUSY || step == SQLITE_LOCKED
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else {
            throw SQLiteError(
                resultCode: finish == SQLITE_OK ? step : finish, extendedCode: sqlite3_extended_errcode(target),
                message: String(cString: sqlite3_errmsg(target)), sql: nil)
        }
    }
}
