import CPostgres
import Foundation

/// One PostgreSQL connection through libpq's synchronous API, with a prepared-statement
/// cache. Not thread-safe: like `SQLiteConnection`, each one is owned by one serial queue of
/// `Database` and used from it only, so a blocking libpq call blocks that queue, never an
/// event loop.
///
/// Statements use the portable `?` placeholders (rewritten to `$n`, see
/// `PostgresPlaceholders`). Parameters are typed from their `SQLValue`: BIGINT, DOUBLE
/// PRECISION, TEXT, BYTEA (sent in binary); NULL is left for the server to infer. Results are
/// decoded by column type: integers (and booleans, as 0/1) to `.integer`, floating point and
/// NUMERIC to `.real`, BYTEA to `.blob`, everything else to `.text`.
///
/// A broken connection throws `PostgresError` (`.connectionLost`); the next use outside a
/// transaction reconnects. A transaction is never continued on a new session: until the
/// transaction that saw the loss ends, every call throws.
final class PostgresConnection: Connection {
    let dialect = SQLDialect.postgres
    /// Set by `EventLog.append` in the current transaction; read and reset by
    /// `Database.write` to wake the event relay after the commit.
    var eventsAppended = false

    let url: PostgresURL
    private var handle: OpaquePointer?
    private var statements: [StatementKey: String] = [:]
    private var statementNumber = 0
    /// True between our BEGIN and its COMMIT/ROLLBACK: a lost connection must not reconnect then.
    private var transactionOpen = false
    /// Counts the sessions opened so far: a change tells a user of session state (LISTEN,
    /// a session-level advisory lock) that the connection was replaced and that state is gone.
    private(set) var sessionNumber = 0

    /// The advisory lock every write transaction takes right after BEGIN, so that one write
    /// transaction runs at a time across every process on the database ("helpdesk" in ASCII).
    /// The code relies on one writer, as on SQLite: counters, read-then-write checks, and
    /// the event log's ids growing in commit order (the consumers' cursors depend on it).
    static let writerLockKey: Int64 = 0x6865_6C70_6465_736B

    /// Prepared statements kept per connection before the cache is emptied (each holds a plan
    /// in the server process; SQL built with a variable number of placeholders would
    /// otherwise grow it without bound).
    static let maxCachedStatements = 1_000

    /// How long opening a connection may take unless the URL says (`?connect_timeout=`).
    static let connectTimeoutSeconds = 10

    /// libpq connection parameters applied before the URL's own (which win).
    private let parameters: [(keyword: String, value: String)]

    /// Opens a connection to `url` (at once when `connectNow`, else at first use), with
    /// `parameters` as libpq defaults the URL may override. Throws `PostgresError`
    /// (`.connect`) with libpq's reason, the password masked.
    init(url: PostgresURL, connectNow: Bool = true, parameters: [(keyword: String, value: String)] = []) throws {
        self.url = url
        self.parameters = parameters
        if connectNow { _ = try connection() }
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    // MARK: Connection

    /// Runs one or more statements without bindings (DDL, BEGIN/COMMIT) with PQexec.
    func execute(_ sql: String) throws {
        let connection = try connection()
        try check(PQexec(connection, sql), sql: sql, connection: connection).clear()
    }

    @discardableResult
    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [Row] {
        let result = try executePrepared(sql, bindings)
        defer { PQclear(result) }
        return decodeRows(result)
    }

    @discardableResult
    func run(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        let result = try executePrepared(sql, bindings)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Streams the rows in libpq's single-row mode, so millions of rows are never held at once.
    func scanIntegerTriples(_ sql: String, _ body: (Int64, Int64, Int64) -> Void) throws {
        let connection = try connection()
        guard PQsendQuery(connection, sql) == 1 else { throw failure(connection, sql: sql) }
        PQsetSingleRowMode(connection)
        var firstError: PostgresError?
        // Every result must be read before the connection takes the next statement.
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                guard firstError == nil, PQnfields(result) >= 3 else { continue }
                body(strtoll(PQgetvalue(result, 0, 0), nil, 10), strtoll(PQgetvalue(result, 0, 1), nil, 10),
                     strtoll(PQgetvalue(result, 0, 2), nil, 10))
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                if firstError == nil { firstError = error(result, connection: connection, sql: sql) }
            }
        }
        if let firstError { throw firstError }
    }

    /// Runs `sql` with `bindings` and calls `body` with each row as it arrives (libpq's
    /// single-row mode), so a table of millions of rows is never held at once. The statement is
    /// not prepared or cached. When `body` throws, the query is cancelled, the rest of its
    /// results are drained and `body`'s error is rethrown. Throws `PostgresError`.
    func forEachRow(_ sql: String, _ bindings: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        let connection = try connection()
        let (text, placeholders) = PostgresPlaceholders.rewrite(sql)
        guard placeholders == bindings.count else {
            throw PostgresError(kind: .usage, message: "\(placeholders) placeholders but \(bindings.count) values", sql: sql)
        }
        let types = bindings.map(PostgresType.parameterType)
        let parameters = PostgresParameters(bindings)
        defer { parameters.deallocate() }
        let sent = types.withUnsafeBufferPointer {
            PQsendQueryParams(connection, text, Int32(bindings.count), $0.baseAddress, parameters.values,
                              parameters.lengths, parameters.formats, 0)
        }
        guard sent == 1 else { throw failure(connection, sql: sql) }
        PQsetSingleRowMode(connection)
        var firstError: Error?
        // Every result must be read before the connection takes the next statement.
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE:
                guard firstError == nil else { continue }
                do {
                    for row in decodeRows(result) { try body(row) }
                } catch {
                    firstError = error
                    // Stop the server producing rows nobody reads; what was sent is drained.
                    if let cancel = PQgetCancel(connection) {
                        var buffer = [CChar](repeating: 0, count: 256)
                        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
                        PQfreeCancel(cancel)
                    }
                }
            case PGRES_TUPLES_OK, PGRES_COMMAND_OK:
                break
            default:
                if firstError == nil { firstError = error(result, connection: connection, sql: sql) }
            }
        }
        if let firstError { throw firstError }
    }

    /// True while a transaction is open (or failed and not yet rolled back) on this connection.
    var inTransaction: Bool {
        guard let handle else { return false }
        switch PQtransactionStatus(handle) {
        case PQTRANS_INTRANS, PQTRANS_INERROR, PQTRANS_ACTIVE: return true
        default: return false
        }
    }

    /// Runs `body` in a write transaction: BEGIN, then the cluster-wide writer lock
    /// (`pg_advisory_xact_lock`, released by COMMIT or ROLLBACK), rolling back if it throws.
    /// Both go in one round trip. Isolation stays READ COMMITTED on purpose: each statement
    /// then sees every transaction committed before the lock was granted (REPEATABLE READ
    /// would keep the snapshot taken while waiting for the lock, missing the previous
    /// writer's commit).
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: "BEGIN; SELECT pg_advisory_xact_lock(\(Self.writerLockKey))", body)
    }

    /// Runs `body` in a read-only snapshot (`REPEATABLE READ READ ONLY`).
    func readTransaction<T>(_ body: () throws -> T) throws -> T {
        try inTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func inTransaction<T>(begin: String, _ body: () throws -> T) throws -> T {
        precondition(!transactionOpen, "nested transaction on one PostgreSQL connection")
        _ = try connection()  // reconnects first if the last connection broke
        // Open from the BEGIN on: if the lock after it fails, the transaction is rolled back
        // below and a loss is never papered over by a reconnect inside it.
        transactionOpen = true
        defer { transactionOpen = false }
        do {
            try execute(begin)
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // After a lost connection there is nothing to roll back (the server did). If the
            // ROLLBACK itself fails, that failure is thrown, naming both, so the connection is
            // never handed on with the half-done transaction.
            if inTransaction {
                do { try execute("ROLLBACK") } catch let rollback as PostgresError {
                    throw PostgresError(kind: rollback.kind, sqlState: rollback.sqlState,
                                        message: "\(rollback.message) (rolling back after: \(error))", sql: "ROLLBACK")
                }
            }
            throw error
        }
    }

    // MARK: Connecting

    /// The open connection, reconnecting first when the last one broke (outside a transaction).
    func connection() throws -> OpaquePointer {
        if let handle, PQstatus(handle) == CONNECTION_OK { return handle }
        if handle != nil && transactionOpen {
            throw PostgresError(kind: .connectionLost, message: "the connection broke during this transaction")
        }
        if let handle { PQfinish(handle) }
        handle = nil
        statements.removeAll()
        let opened = try Self.open(url, parameters: parameters)
        handle = opened
        sessionNumber += 1
        return opened
    }

    /// Runs `body` with libpq's handle of the open session (reconnecting first when the last
    /// one broke), for the asynchronous calls the node link makes (`PostgresNodeLink`).
    func withSession<T>(_ body: (OpaquePointer) throws -> T) throws -> T {
        try body(try connection())
    }

    private static func open(_ url: PostgresURL, parameters: [(keyword: String, value: String)]) throws -> OpaquePointer {
        // Later settings win: a connect timeout and the caller's parameters unless the URL
        // sets its own (libpq's default timeout waits for the operating system's, minutes for
        // an unreachable host), then the URL, then UTF-8 text both ways and a name in
        // pg_stat_activity.
        let keywords = ["connect_timeout"] + parameters.map(\.keyword) + ["dbname", "client_encoding", "application_name"]
        let values = [String(Self.connectTimeoutSeconds)] + parameters.map(\.value) + [url.string, "UTF8", "helpdesk"]
        let connection = withCStrings(keywords) { keys in
            withCStrings(values) { values in PQconnectdbParams(keys, values, 1) }
        }
        guard let connection else { throw PostgresError(kind: .connect, message: "out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            // libpq's message spans lines ("Is the server running ...?"): one line for logs.
            let message = String(cString: PQerrorMessage(connection)).trimmingNewlines()
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            PQfinish(connection)
            throw PostgresError(kind: .connect, message: url.mask(message) + " (\(url.masked))")
        }
        // Notices ("relation already exists, skipping") would go to stderr; they carry
        // nothing an operator needs.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        return connection
    }

    // MARK: Statements

    private struct StatementKey: Hashable {
        let sql: String
        let types: [Oid]
    }

    private func executePrepared(_ sql: String, _ bindings: [SQLValue]) throws -> OpaquePointer {
        let connection = try connection()
        let key = StatementKey(sql: sql, types: bindings.map(PostgresType.parameterType))
        do {
            return try executePrepared(key, bindings, connection)
        } catch let error as PostgresError where error.sqlState == PostgresError.cachedPlanChanged {
            // The statement's result columns changed under it (another process migrated the
            // schema); the server refused it before running it. Forget it so that it is
            // prepared again, and retry at once outside a transaction; inside one the error
            // aborted the transaction, and the caller's next transaction prepares it anew.
            guard let name = statements.removeValue(forKey: key), !inTransaction else { throw error }
            try check(PQexec(connection, "DEALLOCATE \(name)"), sql: "DEALLOCATE", connection: connection).clear()
            return try executePrepared(key, bindings, connection)
        }
    }

    private func executePrepared(_ key: StatementKey, _ bindings: [SQLValue], _ connection: OpaquePointer) throws -> OpaquePointer {
        let name = try prepared(key, count: bindings.count, connection: connection)
        let parameters = PostgresParameters(bindings)
        defer { parameters.deallocate() }
        let result = PQexecPrepared(connection, name, Int32(bindings.count), parameters.values,
                                    parameters.lengths, parameters.formats, 0)
        return try check(result, sql: key.sql, connection: connection).result
    }

    /// The server-side name of `key`'s prepared statement, preparing it on first use.
    private func prepared(_ key: StatementKey, count: Int, connection: OpaquePointer) throws -> String {
        if let name = statements[key] { return name }
        let (text, placeholders) = PostgresPlaceholders.rewrite(key.sql)
        guard placeholders == count else {
            throw PostgresError(kind: .usage, message: "\(placeholders) placeholders but \(count) values", sql: key.sql)
        }
        if statements.count >= Self.maxCachedStatements {
            try check(PQexec(connection, "DEALLOCATE ALL"), sql: "DEALLOCATE ALL", connection: connection).clear()
            statements.removeAll()
        }
        statementNumber += 1
        let name = "s\(statementNumber)"
        let result = key.types.withUnsafeBufferPointer {
            PQprepare(connection, name, text, Int32(count), $0.baseAddress)
        }
        try check(result, sql: key.sql, connection: connection).clear()
        statements[key] = name
        return name
    }

    /// `result` when it succeeded; otherwise clears it and throws the server's error.
    private func check(_ result: OpaquePointer?, sql: String, connection: OpaquePointer) throws -> CheckedResult {
        guard let result else { throw failure(connection, sql: sql) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return CheckedResult(result: result)
        default:
            let error = error(result, connection: connection, sql: sql)
            PQclear(result)
            throw error
        }
    }

    private struct CheckedResult {
        let result: OpaquePointer
        func clear() { PQclear(result) }
    }

    func error(_ result: OpaquePointer, connection: OpaquePointer, sql: String) -> PostgresError {
        if PQstatus(connection) != CONNECTION_OK { return failure(connection, sql: sql) }
        let state = PQresultErrorField(result, cpostgres_diag_sqlstate()).map { String(cString: $0) }
        let primary = PQresultErrorField(result, cpostgres_diag_message_primary()).map { String(cString: $0) }
        let message = primary ?? String(cString: PQresultErrorMessage(result)).trimmingNewlines()
        return PostgresError(kind: .server, sqlState: state, message: url.mask(message), sql: sql)
    }

    /// The error for a call that got no result or broke the connection.
    func failure(_ connection: OpaquePointer, sql: String) -> PostgresError {
        let message = url.mask(String(cString: PQerrorMessage(connection)).trimmingNewlines())
        let lost = PQstatus(connection) != CONNECTION_OK
        return PostgresError(kind: lost ? .connectionLost : .server, message: message.isEmpty ? "no result" : message, sql: sql)
    }

    private func decodeRows(_ result: OpaquePointer) -> [Row] {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        let types = (0..<columnCount).map { PQftype(result, $0) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(.null)
                    continue
                }
                let bytes = UnsafeRawBufferPointer(start: PQgetvalue(result, row, column),
                                                   count: Int(PQgetlength(result, row, column)))
                values.append(PostgresType.decode(bytes, type: types[Int(column)]))
            }
            rows.append(Row(values: values))
        }
        return rows
    }
}

/// Runs `body` with a NULL-terminated array of C strings (libpq's keyword/value lists).
private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { UnsafePointer(strdup($0)) }
    defer { for copy in copies { free(UnsafeMutablePointer(mutating: copy)) } }
    return (copies + [nil]).withUnsafeBufferPointer { body($0.baseAddress!) }
}
