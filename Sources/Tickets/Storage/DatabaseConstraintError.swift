/// A database failure that can say whether a constraint refused the statement, whichever
/// database reported it (`SQLiteError`, `PostgresError`). Services that turn a conflict into a
/// domain error catch this: `catch let error as DatabaseConstraintError where error.isUniqueViolation`.
public protocol DatabaseConstraintError: Error {
    /// A UNIQUE or PRIMARY KEY constraint refused the row.
    var isUniqueViolation: Bool { get }
    /// A FOREIGN KEY constraint refused the row.
    var isForeignKeyViolation: Bool { get }
}

extension SQLiteError: DatabaseConstraintError {}
