extension DataMigration {
    /// The kind of value a column holds on PostgreSQL; values from both databases are brought
    /// to it before they are copied or hashed (SQLite may hold an integer in a REAL column).
    enum ColumnKind: Sendable, Equatable {
        case integer, real, text, bytes
    }

    /// One copied column.
    struct Column: Sendable, Equatable {
        let name: String
        let kind: ColumnKind
    }

    /// How one table is copied and compared, read from the PostgreSQL catalog.
    struct TablePlan: Sendable {
        let name: String
        /// Every column but the generated ones, in PostgreSQL's order.
        let columns: [Column]
        /// The primary key, or every column when the table has none (rows in the same order on
        /// both databases, for the checksum).
        let orderBy: [Column]
        /// False when `orderBy` is every column for want of a primary key.
        let hasPrimaryKey: Bool
        /// The identity column (`id`), whose sequence is set past the copied ids.
        let identity: String?
    }

    /// A table or column that is not copied, and why.
    public struct Skipped: Sendable, Equatable {
        /// `table` or `table.column`.
        public let name: String
        public let reason: String
    }

    /// Every table of both schemas: the ones copied, in foreign-key order, and the skipped ones.
    struct Plan: Sendable {
        let tables: [TablePlan]
        let skipped: [Skipped]
    }

    /// Tables PostgreSQL's migrations fill (`PostgresSchema.seeds`): built-in roles and their
    /// permissions, the ticket number counter, the account, default SLA policy and survey
    /// settings, and a consumer cursor. Their seed rows are replaced by the SQLite desk's rows;
    /// a row in any other table means the target already holds a desk.
    static let seededTables: Set<String> = [
        "roles", "role_permissions", "counters", "account_settings", "sla_policies", "survey_settings", "event_cursors",
    ]

    /// Tables both schemas have that are not copied.
    static let sharedButNotCopied = [
        "schema_migrations": "each database records its own migrations (SQLite and PostgreSQL number theirs separately)",
    ]

    /// Tables only PostgreSQL has, which stay as the migrations made them (none yet: a new one
    /// goes here with its reason, or the plan refuses to run).
    static let postgresOnly: [String: String] = [:]

    /// Reads both catalogs and returns the plan. Throws `DataMigrationError.schemaMismatch`
    /// when a table or column exists on one side only and is not one of the known
    /// differences (FTS5 tables, generated columns): nothing is ever left out silently.
    static func plan(source: SQLiteConnection, target: PostgresConnection) throws -> Plan {
        let sqlite = try sqliteTables(source)
        let postgres = try postgresTables(target)
        var skipped: [Skipped] = []
        var problems: [String] = []
        for (name, type) in sqlite.sorted(by: { $0.key < $1.key }) where postgres[name] == nil {
            if let reason = sqliteOnlyReason(name: name, type: type) {
                skipped.append(Skipped(name: name, reason: reason))
            } else {
                problems.append("table \(name) exists only in SQLite")
            }
        }
        for name in postgres.keys.sorted() where sqlite[name] == nil {
            if let reason = postgresOnly[name] {
                skipped.append(Skipped(name: name, reason: reason))
            } else {
                problems.append("table \(name) exists only in PostgreSQL")
            }
        }
        var tables: [TablePlan] = []
        for (name, table) in postgres.sorted(by: { $0.key < $1.key }) where sqlite[name] != nil {
            if let reason = sharedButNotCopied[name] {
                skipped.append(Skipped(name: name, reason: reason))
                continue
            }
            for column in table.generated {
                skipped.append(Skipped(name: "\(name).\(column)", reason: "a generated column, computed by each database from the copied columns"))
            }
            let sqliteColumns = try sqliteStoredColumns(name, source)
            let postgresColumns = table.columns.map(\.name)
            if Set(sqliteColumns) != Set(postgresColumns) {
                let onlySQLite = sqliteColumns.filter { !postgresColumns.contains($0) }
                let onlyPostgres = postgresColumns.filter { !sqliteColumns.contains($0) }
                problems.append("table \(name): columns only in SQLite \(onlySQLite), only in PostgreSQL \(onlyPostgres)")
                continue
            }
            tables.append(table.plan(name: name))
        }
        guard problems.isEmpty else {
            throw DataMigrationError.schemaMismatch(problems.joined(separator: "; "))
        }
        return Plan(tables: try dependencyOrder(tables, references: postgresReferences(target)), skipped: skipped)
    }

    /// Why a table SQLite has and PostgreSQL does not is left out, or nil when it must not be.
    static func sqliteOnlyReason(name: String, type: String) -> String? {
        if name == "sqlite_sequence" {
            return "SQLite's AUTOINCREMENT counters: PostgreSQL's identities are set past them instead"
        }
        if name.hasPrefix("sqlite_") { return "SQLite's own catalog and statistics" }
        switch type {
        case "virtual": return "an SQLite full-text index (FTS5); PostgreSQL computes search_vector from the copied rows"
        case "shadow": return "the storage of an SQLite full-text index"
        case "view": return "a view holds no rows"
        default: return nil
        }
    }

    // MARK: SQLite's catalog

    /// Name and type (`table`, `virtual`, `shadow`, `view`) of every object of the main schema.
    private static func sqliteTables(_ db: SQLiteConnection) throws -> [String: String] {
        var tables: [String: String] = [:]
        for row in try db.query("SELECT name, type FROM pragma_table_list WHERE schema = 'main'") {
            tables[row.text(0)] = row.text(1)
        }
        return tables
    }

    /// The stored columns of `table` (generated and hidden ones left out).
    private static func sqliteStoredColumns(_ table: String, _ db: SQLiteConnection) throws -> [String] {
        try db.query("SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", [.text(table)]).map { $0.text(0) }
    }

    // MARK: PostgreSQL's catalog

    private struct PostgresTable {
        var columns: [Column] = []
        var generated: [String] = []
        var primaryKey: [String] = []
        var identity: String?

        func plan(name: String) -> TablePlan {
            let key = primaryKey.compactMap { column in columns.first { $0.name == column } }
            return TablePlan(name: name, columns: columns, orderBy: key.isEmpty ? columns : key, hasPrimaryKey: !key.isEmpty,
                             identity: identity)
        }
    }

    /// The base tables of the current schema with their columns, keys and identities.
    private static func postgresTables(_ db: PostgresConnection) throws -> [String: PostgresTable] {
        var tables: [String: PostgresTable] = [:]
        for row in try db.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """) {
            tables[row.text(0)] = PostgresTable()
        }
        for row in try db.query("""
            SELECT table_name, column_name, data_type, is_generated, is_identity FROM information_schema.columns
            WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
            """) {
            let (table, column, type) = (row.text(0), row.text(1), row.text(2))
            guard tables[table] != nil else { continue }
            if row.text(3) == "ALWAYS" {
                tables[table]!.generated.append(column)
                continue
            }
            guard let kind = columnKind(type) else {
                throw DataMigrationError.schemaMismatch("\(table).\(column) has type \(type), which this copy does not know")
            }
            tables[table]!.columns.append(Column(name: column, kind: kind))
            if row.text(4) == "YES" { tables[table]!.identity = column }
        }
        for row in try db.query("""
            SELECT c.relname, a.attname FROM pg_index i
            JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE i.indisprimary AND n.nspname = current_schema() ORDER BY c.relname, k.position
            """) {
            tables[row.text(0)]?.primaryKey.append(row.text(1))
        }
        return tables
    }

    /// Every foreign key column: (table, referenced table, column).
    private static func postgresReferences(_ db: PostgresConnection) throws -> [(String, String, String)] {
        try db.query("""
            SELECT t.relname, f.relname, a.attname FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.contype = 'f' AND n.nspname = current_schema()
            """).map { ($0.text(0), $0.text(1), $0.text(2)) }
    }

    static func columnKind(_ type: String) -> ColumnKind? {
        switch type {
        case "bigint", "integer", "smallint": return .integer
        case "double precision", "real", "numeric": return .real
        case "text", "character varying", "character": return .text
        case "bytea": return .bytes
        default: return nil
        }
    }

    /// `tables` with every table after the tables it references (self-references aside),
    /// alphabetical among equals: the order a reader expects the progress in, and the one in
    /// which the seeds are cleared children first. Throws `schemaMismatch` on a cycle.
    static func dependencyOrder(_ tables: [TablePlan], references: [(String, String, String)]) throws -> [TablePlan] {
        let names = Set(tables.map(\.name))
        var waitingFor: [String: Set<String>] = [:]
        for (table, referenced, _) in references where table != referenced && names.contains(table) && names.contains(referenced) {
            waitingFor[table, default: []].insert(referenced)
        }
        var ordered: [TablePlan] = []
        var remaining = tables.sorted { $0.name < $1.name }
        var done: Set<String> = []
        while !remaining.isEmpty {
            guard let next = remaining.firstIndex(where: { (waitingFor[$0.name] ?? []).isSubset(of: done) }) else {
                throw DataMigrationError.schemaMismatch("foreign keys form a cycle among \(remaining.map(\.name))")
            }
            let table = remaining.remove(at: next)
            done.insert(table.name)
            ordered.append(table)
        }
        return ordered
    }
}
