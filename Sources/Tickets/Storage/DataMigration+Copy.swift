import Foundation

extension DataMigration {
    /// Rows per INSERT: large enough that a round trip carries real work, small enough that a
    /// batch of long ticket descriptions stays a few MiB (also bounded by `maxBatchBytes`).
    static let batchRows = 500
    /// A batch is sent early once its encoded values pass this many bytes (attachments' rows
    /// are small, but an account logo or a stored email body is not).
    static let maxBatchBytes = 8 << 20
    /// A progress line every this many rows of one table.
    static let progressEveryRows = 100_000

    /// Rows waiting to be inserted into one PostgreSQL table with one statement:
    /// `INSERT INTO t (a, b) SELECT * FROM unnest(CAST(? AS BIGINT[]), CAST(? AS TEXT[]))`,
    /// one array per column. One parameter per column, whatever the number of rows and NULLs,
    /// keeps the statement text and parameter types the same for every batch of a table, so
    /// the connection prepares it once (a VALUES list with one parameter per value would be a
    /// new statement for every pattern of NULLs, each plan kept in the server).
    struct InsertBatch {
        let table: TablePlan
        let sql: String
        private var arrays: [String]
        private(set) var count = 0
        private var bytes = 0

        init(_ table: TablePlan) {
            self.table = table
            let columns = table.columns.map { DataMigration.quoted($0.name) }.joined(separator: ", ")
            let arrays = table.columns.map { "CAST(? AS \(Self.arrayType($0.kind)))" }.joined(separator: ", ")
            sql = "INSERT INTO \(DataMigration.quoted(table.name)) (\(columns)) SELECT * FROM unnest(\(arrays))"
            self.arrays = Array(repeating: "", count: table.columns.count)
        }

        var isFull: Bool { count >= DataMigration.batchRows || bytes >= DataMigration.maxBatchBytes }

        /// Adds one row of normalized values.
        mutating func append(_ values: [SQLValue]) {
            for (index, value) in values.enumerated() {
                let element = Self.element(value)
                arrays[index] += (count == 0 ? "{" : ",") + element
                bytes += element.utf8.count
            }
            count += 1
        }

        /// Inserts the rows held, if any, and empties the batch.
        mutating func flush(_ db: PostgresConnection) throws {
            guard count > 0 else { return }
            try db.run(sql, arrays.map { .text($0 + "}") })
            arrays = Array(repeating: "", count: table.columns.count)
            count = 0
            bytes = 0
        }

        static func arrayType(_ kind: ColumnKind) -> String {
            switch kind {
            case .integer: return "BIGINT[]"
            case .real: return "DOUBLE PRECISION[]"
            case .text: return "TEXT[]"
            case .bytes: return "BYTEA[]"
            }
        }

        /// One element of an array literal: NULL bare, everything else double-quoted with `"`
        /// and `\` escaped; bytes in BYTEA's hex input form (`\x0a1b`).
        static func element(_ value: SQLValue) -> String {
            switch value {
            case .null: return "NULL"
            case .integer(let v): return String(v)
            case .real(let v): return "\"" + PostgresType.text(of: v) + "\""
            case .text(let s):
                var quoted = "\""
                quoted.reserveCapacity(s.utf8.count + 2)
                for character in s.unicodeScalars {
                    if character == "\"" || character == "\\" { quoted.unicodeScalars.append("\\") }
                    quoted.unicodeScalars.append(character)
                }
                return quoted + "\""
            case .blob(let b): return "\"\\\\x" + Encoding.hex(b) + "\""
            }
        }
    }

    /// Copies `table` from the SQLite snapshot into PostgreSQL in batches, hashing each row
    /// as read. Returns the source's tally and the largest
    /// identity value copied.
    static func copy(_ table: TablePlan, from source: SQLiteConnection, to target: PostgresConnection,
                     progress: (String) -> Void) throws -> (tally: Tally, maxIdentity: Int64) {
        let hasher = TableHasher()
        var batch = InsertBatch(table)
        let identityIndex = table.identity.flatMap { name in table.columns.firstIndex { $0.name == name } }
        var maxIdentity: Int64 = 0
        try source.forEachRow(selectInKeyOrder(table, .sqlite)) { row in
            let values = try normalized(row, table)
            hasher.add(values)
            if let identityIndex, case .integer(let id) = values[identityIndex] { maxIdentity = max(maxIdentity, id) }
            batch.append(values)
            if batch.isFull { try batch.flush(target) }
            if hasher.rows % progressEveryRows == 0 { progress("  \(table.name): \(hasher.rows) rows ...") }
        }
        try batch.flush(target)
        return (hasher.finish(), maxIdentity)
    }

    /// Sets `table`'s identity past both the largest copied id and SQLite's AUTOINCREMENT
    /// counter for it (which stays ahead of the table when the newest rows were deleted, e.g.
    /// pruned events: an id the consumers' cursors have passed must never be handed out
    /// again). Returns the value set, nil when there was nothing to set.
    static func setIdentity(_ table: TablePlan, maxCopied: Int64, source: SQLiteConnection,
                            target: PostgresConnection) throws -> Int64? {
        guard let identity = table.identity else { return nil }
        let counter = try source.query("SELECT name FROM pragma_table_list WHERE name = 'sqlite_sequence' AND schema = 'main'").isEmpty
            ? 0 : (try source.first("SELECT seq FROM sqlite_sequence WHERE name = ?", [.text(table.name)])?.int64(0) ?? 0)
        let value = max(maxCopied, counter)
        guard value > 0 else { return nil }
        try target.query("SELECT setval(pg_get_serial_sequence(CAST(? AS TEXT), CAST(? AS TEXT)), CAST(? AS BIGINT))",
                         [.text(quoted(table.name)), .text(identity), .integer(value)])
        return value
    }

    /// Deletes the rows PostgreSQL's migrations seeded (`seededTables`), children first, so the
    /// SQLite desk's own rows take their place. Runs inside the copy's transaction.
    static func clearSeeds(_ plan: Plan, _ target: PostgresConnection) throws {
        for table in plan.tables.reversed() where seededTables.contains(table.name) {
            try target.run("DELETE FROM \(quoted(table.name))")
        }
    }

    /// The planned tables of the target that hold rows, with their counts, ignoring the
    /// seeded ones (`seededTables`). Empty means the target holds no desk yet.
    static func occupiedTables(_ plan: Plan, _ target: PostgresConnection) throws -> [(String, Int)] {
        var occupied: [(String, Int)] = []
        for table in plan.tables where !seededTables.contains(table.name) {
            guard try target.first("SELECT 1 FROM \(quoted(table.name)) LIMIT 1") != nil else { continue }
            occupied.append((table.name, try target.first("SELECT count(*) FROM \(quoted(table.name))")?.int(0) ?? 0))
        }
        return occupied
    }

    /// Other sessions of the help desk (`application_name` helpdesk) on the target database:
    /// a server running there would write while the copy runs.
    static func otherDeskSessions(_ target: PostgresConnection) throws -> Int {
        try target.first("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = 'helpdesk'
            """)?.int(0) ?? 0
    }
}
