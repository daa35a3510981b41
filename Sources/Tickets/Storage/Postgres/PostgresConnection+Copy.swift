import CPostgres

extension PostgresConnection {
    /// The most handed to libpq per `PQputCopyData` call, so a large batch is not copied
    /// into libpq's buffer whole.
    static let copyPieceBytes = 256 * 1024

    /// Appends `rows` to `columns` of `table` with one `COPY ... FROM STDIN` (text format):
    /// one statement and one round trip for the whole batch, the fastest way to load many rows
    /// (the bulk loader's). `table` and `columns` are identifiers written by the caller, never
    /// user input. Inside a transaction the rows are part of it; otherwise COPY commits them
    /// itself. Returns how many rows the server stored. Throws `PostgresError`: the server's
    /// error (a constraint, a malformed value) after which no row of the batch is stored, or
    /// `.connectionLost`.
    @discardableResult
    func copy(into table: String, columns: [String], rows: PostgresCopyRows) throws -> Int {
        precondition(rows.columnCount == columns.count, "COPY rows encoded for another column list")
        let sql = "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN"
        let connection = try connection()
        guard let started = PQexec(connection, sql) else { throw failure(connection, sql: sql) }
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            let refused = error(started, connection: connection, sql: sql)
            PQclear(started)
            throw refused
        }
        PQclear(started)
        var sent = true
        rows.bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while sent && offset < buffer.count {
                let length = min(Self.copyPieceBytes, buffer.count - offset)
                let piece = UnsafeRawPointer(buffer.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                sent = PQputCopyData(connection, piece, Int32(length)) == 1
                offset += length
            }
        }
        // A failed send ends the COPY with an error of our own, so the server stores nothing.
        guard PQputCopyEnd(connection, sent ? nil : "the client could not send the rows") == 1 else {
            throw failure(connection, sql: sql)
        }
        // Every result must be read before the connection takes the next statement.
        var stored = 0
        var firstError: PostgresError?
        while let result = PQgetResult(connection) {
            defer { PQclear(result) }
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                stored = Int(String(cString: PQcmdTuples(result))) ?? 0
            } else if firstError == nil {
                firstError = error(result, connection: connection, sql: sql)
            }
        }
        if let firstError { throw firstError }
        if !sent { throw failure(connection, sql: sql) }
        return stored
    }
}
