import Foundation

/// Copies an SQLite desk's database into an empty PostgreSQL database and verifies the copy
/// (`helpdesk migrate-data`).
///
/// - The table and column lists come from the two catalogs at run time (`plan`), in
///   foreign-key order; a table on one side only stops the copy unless it is one of the known
///   differences (FTS5 tables, `sqlite_sequence`, generated columns), listed with a reason.
/// - Everything is read from SQLite inside ONE read transaction (a consistent snapshot even if
///   a server still wrote), streamed row by row and inserted in batches, so memory stays
///   bounded whatever the size; each row is hashed as it is read (`Tally`).
/// - Everything is written in ONE PostgreSQL transaction holding the writer lock: the copy
///   lands whole or not at all, so a failed run leaves the target empty for the next try.
///   Secondary indexes and foreign keys are dropped for the load and rebuilt after it
///   (`dropForLoad`), so rows may arrive in any order (`tickets.merged_into_id` may name a
///   later ticket) and the indexes are built once.
/// - Identities are set past the copied ids and SQLite's AUTOINCREMENT counters.
/// - Afterwards every table is read back from PostgreSQL and its count and checksum compared
///   with the snapshot's.
public struct DataMigration: Sendable {
    public let sourcePath: String
    public let target: PostgresURL

    /// `sourcePath`: the SQLite file (`<data>/helpdesk.sqlite`); `target`: an existing
    /// PostgreSQL database, empty or freshly migrated.
    public init(sourcePath: String, target: PostgresURL) {
        self.sourcePath = sourcePath
        self.target = target
    }

    /// One table's figures after the copy.
    public struct TableResult: Sendable {
        public let table: String
        public let source: Tally
        public let target: Tally
        public var matches: Bool { source == target }
    }

    /// What `run` did.
    public struct Report: Sendable {
        /// Every copied table, in the order copied.
        public let tables: [TableResult]
        public let skipped: [Skipped]
        /// Identities set past the copied ids: table and the value set.
        public let identities: [(table: String, value: Int64)]
        /// The files the database names in the data folder, and the ones missing.
        public let files: FileCheck
        public let copySeconds: Double
        public let verifySeconds: Double
        /// The tables whose count or checksum differs (empty when the copy is verified).
        public var mismatches: [TableResult] { tables.filter { !$0.matches } }
        public var rows: Int { tables.reduce(0) { $0 + $1.source.rows } }
    }

    /// Runs the whole migration: opens both databases (applying pending migrations to each,
    /// as `serve` would), refuses a target that holds a desk or has another help desk
    /// connected, copies, sets identities, checks the attachment files under
    /// `attachmentsDirectory`, and verifies. `progress` gets one line per table. Throws
    /// `DataMigrationError`, `SQLiteError` or `PostgresError`; a verification that finds a
    /// difference is not thrown but reported (`Report.mismatches`).
    public func run(attachmentsDirectory: URL, progress: (String) -> Void) throws -> Report {
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw DataMigrationError.noSource(sourcePath)
        }
        let source = try SQLiteConnection(path: sourcePath)
        try Migrator(migrations: Schema.migrations).migrate(source)
        let target = try PostgresConnection(url: target)
        try Migrator(migrations: PostgresSchema.migrations).migrate(target)
        let started = Date()
        var tallies: [String: Tally] = [:]
        var identities: [(table: String, value: Int64)] = []
        let (plan, files) = try source.readTransaction { () -> (Plan, FileCheck) in
            let plan = try Self.plan(source: source, target: target)
            try target.transaction {
                // Checked under the writer lock, so no desk can start writing in between.
                let sessions = try Self.otherDeskSessions(target)
                guard sessions == 0 else { throw DataMigrationError.targetInUse(sessions) }
                let occupied = try Self.occupiedTables(plan, target)
                guard occupied.isEmpty else { throw DataMigrationError.targetNotEmpty(occupied) }
                try Self.clearSeeds(plan, target)
                let deferred = try Self.dropForLoad(target)
                for table in plan.tables {
                    let tableStarted = Date()
                    let (tally, maxIdentity) = try Self.copy(table, from: source, to: target, progress: progress)
                    tallies[table.name] = tally
                    if let value = try Self.setIdentity(table, maxCopied: maxIdentity, source: source, target: target) {
                        identities.append((table.name, value))
                    }
                    progress("  \(table.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(Self.rightAligned(tally.rows, 10)) rows  \(Self.seconds(since: tableStarted))")
                }
                let rebuildStarted = Date()
                progress("  building \(deferred.indexes.count) indexes and checking \(deferred.foreignKeys.count) foreign keys ...")
                try Self.restore(deferred, target)
                progress("  indexes and foreign keys done in \(Self.seconds(since: rebuildStarted))")
            }
            return (plan, try Self.checkFiles(source, attachmentsDirectory: attachmentsDirectory))
        }
        let copied = Date()
        progress("verifying: reading every table back from PostgreSQL ...")
        let targetTallies = try target.readTransaction {
            try Self.tallies(plan, forEachRow: { try target.forEachRow($0, [], $1) }, dialect: .postgres)
        }
        let results = plan.tables.map { table in
            TableResult(table: table.name, source: tallies[table.name]!, target: targetTallies[table.name]!)
        }
        return Report(tables: results, skipped: plan.skipped, identities: identities, files: files,
                      copySeconds: copied.timeIntervalSince(started), verifySeconds: Date().timeIntervalSince(copied))
    }

    /// Counts and checksums of every table, computed afresh on both databases (each in one
    /// read transaction), for checking a copy made earlier. Throws like `run`.
    public func verify() throws -> [TableResult] {
        let source = try SQLiteConnection(path: sourcePath, readOnly: true)
        let target = try PostgresConnection(url: target)
        let plan = try source.readTransaction { try Self.plan(source: source, target: target) }
        let sourceTallies = try source.readTransaction {
            try Self.tallies(plan, forEachRow: { try source.forEachRow($0, [], $1) }, dialect: .sqlite)
        }
        let targetTallies = try target.readTransaction {
            try Self.tallies(plan, forEachRow: { try target.forEachRow($0, [], $1) }, dialect: .postgres)
        }
        return plan.tables.map { TableResult(table: $0.name, source: sourceTallies[$0.name]!, target: targetTallies[$0.name]!) }
    }

    static func seconds(since start: Date) -> String {
        String(format: "%.1f s", Date().timeIntervalSince(start))
    }

    static func rightAligned(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: " ", count: max(0, width - text.count)) + text
    }
}

/// Why `DataMigration` stopped. Messages name tables and keys, never values or passwords.
public enum DataMigrationError: Error, CustomStringConvertible, Sendable {
    case noSource(String)
    case targetNotEmpty([(String, Int)])
    case targetInUse(Int)
    case schemaMismatch(String)
    case unconvertible(table: String, column: String, key: String, found: String, expected: String)

    public var description: String {
        switch self {
        case .noSource(let path):
            return "no SQLite database at \(path)"
        case .targetNotEmpty(let tables):
            let named = tables.sorted { $0.1 > $1.1 }.prefix(5).map { "\($0.0) (\($0.1) rows)" }.joined(separator: ", ")
            return "the PostgreSQL database already holds data: \(named); migrate into a new, empty database"
        case .targetInUse(let sessions):
            return "\(sessions) other help desk session(s) are connected to the PostgreSQL database; stop every helpdesk serve using it first"
        case .schemaMismatch(let detail):
            return "the SQLite and PostgreSQL schemas differ: \(detail)"
        case .unconvertible(let table, let column, let key, let found, let expected):
            return "\(table).\(column) at \(key) holds \(found), which a PostgreSQL \(expected) column cannot take"
        }
    }
}
