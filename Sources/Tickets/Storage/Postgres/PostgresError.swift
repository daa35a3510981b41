/// A failure reported by PostgreSQL or libpq: the SQLSTATE code when the server sent one,
/// the primary message and the SQL that failed. Bound values are never included (the server's
/// DETAIL line, which may quote them, is left out), and neither is the URL's password, so the
/// error is safe to log.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The server refused a statement (SQLSTATE set).
        case server
        /// The connection could not be opened.
        case connect
        /// The connection broke during a statement; the transaction it was in is gone. The
        /// next use of the connection reconnects.
        case connectionLost
        /// The caller's mistake (an invalid URL, a placeholder count that does not match).
        case usage
    }

    public let kind: Kind
    /// The five-character SQLSTATE (`23505` for a unique violation), when the server sent one.
    public let sqlState: String?
    public let message: String
    /// The statement text as written (with `?` placeholders), if a statement was involved.
    public let sql: String?

    init(kind: Kind, sqlState: String? = nil, message: String, sql: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.sql = sql
    }

    /// SQLSTATE 23505, unique_violation.
    public var isUniqueViolation: Bool { sqlState == Self.uniqueViolation }
    /// SQLSTATE 23503, foreign_key_violation.
    public var isForeignKeyViolation: Bool { sqlState == Self.foreignKeyViolation }
    /// True when the connection broke (or could not be opened): worth retrying later.
    public var isConnectionFailure: Bool { kind == .connect || kind == .connectionLost }

    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"
    /// SQLSTATE 0A000 (feature_not_supported), which a prepared statement gets when its result
    /// columns changed since it was prepared ("cached plan must not change result type").
    static let cachedPlanChanged = "0A000"

    public var description: String {
        let kindText: String
        switch kind {
        case .server: kindText = "PostgreSQL error " + (sqlState ?? "?")
        case .connect: kindText = "PostgreSQL connection failed"
        case .connectionLost: kindText = "PostgreSQL connection lost"
        case .usage: kindText = "PostgreSQL usage error"
        }
        return "\(kindText): \(message)" + (sql.map { " [\($0)]" } ?? "")
    }
}

extension PostgresError: DatabaseConstraintError {}
