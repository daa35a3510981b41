/// Which SQL a connection speaks. Storage code writes SQL both databases accept and branches
/// on the dialect only where they differ (text search, date arithmetic, list planning).
public enum SQLDialect: Sendable {
    case sqlite
    case postgres
}

/// One database connection, used by one caller at a time (each is confined to a serial queue
/// of `Database`). The storage layer (`Sources/Tickets/Storage`) is the only code that
/// writes SQL for it; services call the records there with the connection of their
/// transaction.
///
/// SQL conventions, so one statement runs on SQLite and PostgreSQL alike: positional `?`
/// placeholders; `RETURNING` for generated ids (see `insert`); `ON CONFLICT ... DO` instead
/// of `INSERT OR ...`; `COALESCE`, not `IFNULL`; dates as integer milliseconds (`SQLDate`);
/// booleans as 0/1 integers.
protocol Connection: AnyObject {
    /// The SQL this connection speaks.
    var dialect: SQLDialect { get }

    /// Runs one or more statements without bindings or results (DDL, BEGIN/COMMIT).
    func execute(_ sql: String) throws

    /// Runs `sql` with `bindings` (positional `?`) and returns every row.
    @discardableResult
    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [Row]

    /// Runs a write statement and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ bindings: [SQLValue]) throws -> Int

    /// Steps `sql` (no bindings) and calls `body` with the first three columns of each row as
    /// integers (NULL reads as 0), without keeping the rows: for loads over millions of rows.
    func scanIntegerTriples(_ sql: String, _ body: (Int64, Int64, Int64) -> Void) throws

    /// True while a transaction is open on this connection.
    var inTransaction: Bool { get }

    /// Runs `body` in one write transaction, rolling back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T

    /// Runs `body` in one read transaction (a consistent snapshot), rolling back if it throws.
    func readTransaction<T>(_ body: () throws -> T) throws -> T

    /// Set by `EventLog.append` in the current transaction; read and reset by
    /// `Database.write` to wake the event relay after the commit.
    var eventsAppended: Bool { get set }
}

extension Connection {
    /// Runs `sql` without bindings and returns every row.
    @discardableResult
    func query(_ sql: String) throws -> [Row] { try query(sql, []) }

    /// Runs a write statement without bindings and returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String) throws -> Int { try run(sql, []) }

    /// Runs `sql` and returns the first row, or nil when there is none.
    func first(_ sql: String, _ bindings: [SQLValue] = []) throws -> Row? {
        try query(sql, bindings).first
    }

    /// Runs one `INSERT` into a table keyed by an integer `id` and returns the new row's id
    /// (`RETURNING id` is appended: both databases support it).
    func insert(_ sql: String, _ bindings: [SQLValue] = []) throws -> Int64 {
        guard let row = try first(sql + " RETURNING id", bindings) else {
            preconditionFailure("INSERT ... RETURNING id returned no row: \(sql)")
        }
        return row.int64(0)
    }
}
