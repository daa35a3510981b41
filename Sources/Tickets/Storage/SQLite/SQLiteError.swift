import CSQLite
/// A failure reported by SQLite: result code, extended code, message and the SQL that
/// failed. Bound values are never included, so the error is safe to log.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code (`SQLITE_BUSY`, `SQLITE_CONSTRAINT`, ...).
    public let resultCode: Int32
    /// The extended result code (`SQLITE_CONSTRAINT_UNIQUE`, ...).
    public let extendedCode: Int32
    /// SQLite's message, e.g. "UNIQUE constraint failed: agents.email".
    public let message: String
    /// The statement text (with `?` placeholders), if a statement was involved.
    public let sql: String?

    /// SQLITE_BUSY: another connection holds the lock past `busy_timeout`.
    public var isBusy: Bool { resultCode == SQLITE_BUSY || resultCode == SQLITE_LOCKED }
    /// SQLITE_CONSTRAINT and its extended codes.
    public var isConstraint: Bool { resultCode == SQLITE_CONSTRAINT }
    /// SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY.
    public var isUniqueViolation: Bool { extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey }
    /// SQLITE_CONSTRAINT_FOREIGNKEY.
    public var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey }

    // SQLite's extended codes are function-like macros Swift does not import; these are
    // their definitions from sqlite3.h (the primary code plus a sub-code in the second byte).
    static let constraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)
    static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)

    public var description: String {
        "SQLite error \(resultCode)/\(extendedCode): \(message)" + (sql.map { " [\($0)]" } ?? "")
    }
}
