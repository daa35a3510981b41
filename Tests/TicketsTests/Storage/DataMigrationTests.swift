import Foundation
import Testing
@testable import Tickets

/// `DataMigration` (helpdesk migrate-data) against a real PostgreSQL server.
@Suite("Data migration, SQLite to PostgreSQL", .enabled(if: TestDatabase.server != nil, TestDatabase.skipReason))
struct DataMigrationTests {
    /// An SQLite desk with rows in many tables: the demo data set, then commands that log
    /// events (an attachment, a merge of an older ticket into a newer one, a link, a watcher,
    /// a session, an API token, a custom role), then the newest events pruned so SQLite's
    /// AUTOINCREMENT counter for `events` runs ahead of its largest id.
    final class Desk: @unchecked Sendable {
        let fixture: Fixture
        let target: PostgresURL
        let newestEvent: Int64

        init() async throws {
            fixture = try Fixture(onSQLite: true)
            let admin = try await fixture.agent("Ada")
            let seeder = DemoSeeder(database: fixture.database, hasher: PasswordHasher(iterations: 1_000), now: fixture.clock.clock)
            _ = try await seeder.seed(ticketCount: 40)
            try await ReportRollupConsumer.rebuild(fixture.database)
            let older = try await fixture.ticket("Older", by: admin)
            let newer = try await fixture.ticket("Newer", by: admin)
            let file = try fixture.attachments.stage(bytes: Data("invoice \u{00E9}\u{0000}".utf8), fileName: "invoice.txt", contentType: "text/plain")
            _ = try await fixture.tickets.addMessage(to: newer.id, NewMessage(kind: .reply, body: "See \"attached\" {x}, \\ ok", attachments: [file]), by: admin)
            _ = try await fixture.tickets.mergeTickets(into: newer.id, secondaries: [older.id], by: admin)
            _ = try await fixture.tickets.addLink(NewTicketLink(kind: .ticket, ticketID: TicketID(1)), to: newer.id, by: admin)
            let ada = try await fixture.accounts.agents().first { $0.email == "ada@example.com" }!
            _ = try await fixture.tickets.addWatcher(ada.id, to: TicketID(2), by: admin)
            _ = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "127.0.0.1")
            _ = try await fixture.accounts.createAPIToken(name: "ci", by: admin)
            _ = try await fixture.accounts.createRole(name: "Triage", permissions: [.ticketView], by: admin)
            let newest = try await fixture.database.read { db in try db.first("SELECT max(id) FROM events")!.int64(0) }
            try await fixture.database.write { db in try db.run("DELETE FROM events WHERE id > ?", [.integer(newest - 2)]) }
            newestEvent = newest
            target = try TestDatabase.createPostgres(on: TestDatabase.server!)
        }

        var sourcePath: String { fixture.folder.appendingPathComponent("helpdesk.sqlite").path }
        var attachments: URL { fixture.folder.appendingPathComponent("attachments") }
        var migration: DataMigration { DataMigration(sourcePath: sourcePath, target: target) }

        func run() throws -> DataMigration.Report {
            try migration.run(attachmentsDirectory: attachments) { _ in }
        }

        deinit { TestDatabase.drop(.postgres(target)) }
    }

    @Test("every table is copied with equal row counts and checksums, and a later verification agrees")
    func copiesAndVerifies() async throws {
        let desk = try await Desk()
        let report = try desk.run()
        #expect(report.mismatches.isEmpty)
        let postgresTables = try PostgresConnection(url: desk.target).query("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """).map { $0.text(0) }
        #expect(Set(report.tables.map(\.table)) == Set(postgresTables).subtracting(["schema_migrations"]))
        let rows = Dictionary(uniqueKeysWithValues: report.tables.map { ($0.table, $0.target.rows) })
        for table in ["tickets", "messages", "attachments", "audit_log", "events", "sessions", "api_tokens", "roles",
                      "role_permissions", "contacts", "agents", "ticket_links", "ticket_watchers", "ticket_tags", "sla_state",
                      "csat_surveys", "canned_responses", "event_cursors", "report_facts"] {
            #expect((rows[table] ?? 0) > 0, "\(table) should hold rows in the test desk")
        }
        #expect(report.files.referenced == 1 && report.files.missingCount == 0)
        // The indexes and foreign keys taken off for the load are all back, as a fresh database has them.
        let fresh = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(fresh)) }
        let freshConnection = try PostgresConnection(url: fresh)
        try Migrator(migrations: PostgresSchema.migrations).migrate(freshConnection)
        let catalog = """
            SELECT (SELECT string_agg(indexdef, ';' ORDER BY indexname) FROM pg_indexes WHERE schemaname = current_schema()),
                (SELECT string_agg(pg_get_constraintdef(c.oid), ';' ORDER BY c.conname) FROM pg_constraint c
                 JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema())
            """
        let copiedCatalog = try PostgresConnection(url: desk.target).first(catalog)!
        let freshCatalog = try freshConnection.first(catalog)!
        #expect(copiedCatalog.text(0) == freshCatalog.text(0) && copiedCatalog.text(1) == freshCatalog.text(1))
        #expect(copiedCatalog.text(1).contains("REFERENCES tickets(id)"))
        #expect(try desk.migration.verify().allSatisfy(\.matches))
    }

    @Test("new rows on PostgreSQL get ids after the copied ones, events after SQLite's AUTOINCREMENT counter")
    func identitiesContinue() async throws {
        let desk = try await Desk()
        let maxTicket = try await desk.fixture.database.read { db in try db.first("SELECT max(id), max(number) FROM tickets")! }
        _ = try desk.run()
        let database = try Database(location: .postgres(desk.target))
        let tickets = TicketService(database: database, attachments: desk.fixture.attachments, now: desk.fixture.clock.clock)
        let created = try await tickets.createTicket(
            NewTicket(subject: "After the move", description: "d", requester: .email(name: "Grace", email: "grace@example.com")),
            by: .system).value
        #expect(created.id.rawValue > maxTicket.int64(0))
        #expect(created.number > maxTicket.int64(1))
        let event = try await database.read { db in try db.first("SELECT max(id) FROM events")!.int64(0) }
        #expect(event > desk.newestEvent)
    }

    @Test("a target that already holds a desk is refused, naming a table, and is left as it was")
    func refusesOccupiedTarget() async throws {
        let desk = try await Desk()
        _ = try desk.run()
        let before = try PostgresConnection(url: desk.target).first("SELECT count(*) FROM tickets")!.int64(0)
        #expect {
            _ = try desk.run()
        } throws: { error in
            guard case DataMigrationError.targetNotEmpty(let tables) = error else { return false }
            return tables.contains { $0.0 == "tickets" } && "\(error)".contains("already holds data: ")
        }
        #expect(try PostgresConnection(url: desk.target).first("SELECT count(*) FROM tickets")!.int64(0) == before)
    }

    @Test("a target a help desk server is connected to is refused before anything is written")
    func refusesTargetInUse() async throws {
        let desk = try await Desk()
        let running = try Database(location: .postgres(desk.target))
        #expect {
            _ = try desk.run()
        } throws: { error in
            guard case DataMigrationError.targetInUse(let sessions) = error else { return false }
            return sessions >= 1
        }
        let agents = try PostgresConnection(url: desk.target).first("SELECT count(*) FROM agents")!.int64(0)
        withExtendedLifetime(running) {}
        #expect(agents == 0)
    }

    @Test("a row changed on PostgreSQL after the copy makes verification fail on that table only")
    func verificationFindsAChangedRow() async throws {
        let desk = try await Desk()
        _ = try desk.run()
        try PostgresConnection(url: desk.target).run("UPDATE messages SET body = body || '.' WHERE id = (SELECT min(id) FROM messages)")
        let results = try desk.migration.verify()
        #expect(results.filter { !$0.matches }.map(\.table) == ["messages"])
        let messages = results.first { $0.table == "messages" }!
        #expect(messages.source.rows == messages.target.rows && messages.source.checksum != messages.target.checksum)
    }

    @Test("a value PostgreSQL cannot take stops the copy naming table, column and key, and leaves no row behind")
    func failedCopyLeavesNothing() async throws {
        let desk = try await Desk()
        // SQLite's INTEGER affinity keeps text that does not look like a number as text.
        try await desk.fixture.database.write { db in try db.run("UPDATE tickets SET priority_rank = 'high' WHERE id = 3") }
        #expect {
            _ = try desk.run()
        } throws: { error in
            "\(error)" == "tickets.priority_rank at id = 3 holds text, which a PostgreSQL integer column cannot take"
        }
        let target = try PostgresConnection(url: desk.target)
        #expect(try target.first("SELECT count(*) FROM contacts")!.int64(0) == 0)
        #expect(try target.first("SELECT count(*) FROM agents")!.int64(0) == 0)
        #expect(try target.first("SELECT count(*) FROM roles")!.int64(0) == 3)
        #expect(try target.first("SELECT count(*) FROM pg_indexes WHERE indexname = 'messages_search'")!.int64(0) == 1)
    }

    @Test("a table SQLite has and PostgreSQL lacks stops the migration before anything is written")
    func unknownTableStops() async throws {
        let desk = try await Desk()
        try await desk.fixture.database.write { db in try db.execute("CREATE TABLE extra_notes (id INTEGER PRIMARY KEY, body TEXT)") }
        #expect {
            _ = try desk.run()
        } throws: { error in
            "\(error)".contains("table extra_notes exists only in SQLite")
        }
        #expect(try PostgresConnection(url: desk.target).first("SELECT count(*) FROM tickets")!.int64(0) == 0)
    }

    @Test("the plan copies every table of both schemas except the listed differences, each with its reason")
    func planLeavesNothingOutSilently() throws {
        let fixture = try Fixture(onSQLite: true)
        let target = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(target)) }
        let postgres = try PostgresConnection(url: target)
        try Migrator(migrations: PostgresSchema.migrations).migrate(postgres)
        let sqlite = try SQLiteConnection(path: fixture.folder.appendingPathComponent("helpdesk.sqlite").path)
        let plan = try DataMigration.plan(source: sqlite, target: postgres)
        let sqliteTables = Set(try sqlite.query("SELECT name FROM pragma_table_list WHERE schema = 'main'").map { $0.text(0) })
        let copied = Set(plan.tables.map(\.name))
        let skipped = Set(plan.skipped.map(\.name))
        // Every SQLite table is copied or skipped with a reason: a new table needs a PostgreSQL twin.
        #expect(sqliteTables == copied.union(skipped.filter { !$0.contains(".") }))
        let fts = ["contact", "message", "ticket"].flatMap { name in
            ["", "_config", "_data", "_docsize", "_idx", "_terms"].map { "\(name)_fts\($0)" }
        }
        #expect(skipped == Set(fts + ["sqlite_schema", "sqlite_sequence", "schema_migrations", "tickets.due_sort",
                                      "tickets.search_vector", "messages.search_vector", "contacts.search_vector"]))
        #expect(plan.skipped.allSatisfy { !$0.reason.isEmpty })
        // Parents before children.
        let position = Dictionary(uniqueKeysWithValues: plan.tables.enumerated().map { ($1.name, $0) })
        #expect(position["roles"]! < position["agents"]! && position["contacts"]! < position["tickets"]!)
        #expect(position["tickets"]! < position["messages"]! && position["messages"]! < position["attachments"]!)
    }

    @Test("the seeded tables are exactly the ones a freshly migrated PostgreSQL database has rows in")
    func seededTablesMatchTheMigrations() throws {
        let target = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(target)) }
        let postgres = try PostgresConnection(url: target)
        try Migrator(migrations: PostgresSchema.migrations).migrate(postgres)
        let tables = try postgres.query("""
            SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """).map { $0.text(0) }.filter { $0 != "schema_migrations" }
        let filled = try tables.filter { try postgres.first("SELECT 1 FROM \(DataMigration.quoted($0)) LIMIT 1") != nil }
        #expect(Set(filled) == DataMigration.seededTables)
    }
}

/// The pure parts: value normalisation, the canonical hash and the array-literal encoding.
@Suite("Data migration encoding")
struct DataMigrationEncodingTests {
    static let table = DataMigration.TablePlan(
        name: "t", columns: [.init(name: "id", kind: .integer), .init(name: "score", kind: .real),
                             .init(name: "name", kind: .text), .init(name: "data", kind: .bytes)],
        orderBy: [.init(name: "id", kind: .integer)], hasPrimaryKey: true, identity: "id")

    @Test("values SQLite stores loosely hash like PostgreSQL's typed values")
    func normalisedValuesHashAlike() throws {
        let sqlite = Row(values: [.real(7), .integer(3), .text("é"), .text("ab")])
        let postgres = Row(values: [.integer(7), .real(3), .text("é"), .blob([0x61, 0x62])])
        let a = DataMigration.TableHasher(), b = DataMigration.TableHasher()
        a.add(try DataMigration.normalized(sqlite, Self.table))
        b.add(try DataMigration.normalized(postgres, Self.table))
        #expect(a.finish() == b.finish())
    }

    @Test("a value no PostgreSQL column of that type can take is refused, naming table, column and key")
    func unconvertibleValue() {
        #expect {
            _ = try DataMigration.normalized(Row(values: [.integer(9), .text("high"), .null, .null]), Self.table)
        } throws: { error in
            "\(error)" == "t.score at id = 9 holds text, which a PostgreSQL real column cannot take"
        }
    }

    @Test("the hash tells NULL from empty text, and text from bytes, and row boundaries matter")
    func hashIsCanonical() {
        func digest(_ rows: [[SQLValue]]) -> String {
            let hasher = DataMigration.TableHasher()
            rows.forEach(hasher.add)
            return hasher.finish().checksum
        }
        #expect(digest([[.null]]) != digest([[.text("")]]))
        #expect(digest([[.text("ab")]]) != digest([[.blob([0x61, 0x62])]]))
        #expect(digest([[.text("a"), .text("b")]]) != digest([[.text("ab"), .text("")]]))
        #expect(digest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("array elements quote and escape text, write bytes as hex and leave NULL bare")
    func arrayElements() {
        #expect(DataMigration.InsertBatch.element(.null) == "NULL")
        #expect(DataMigration.InsertBatch.element(.text("NULL")) == "\"NULL\"")
        #expect(DataMigration.InsertBatch.element(.text("a\"b\\c,{}")) == "\"a\\\"b\\\\c,{}\"")
        #expect(DataMigration.InsertBatch.element(.blob([0, 255])) == "\"\\\\x00ff\"")
        #expect(DataMigration.InsertBatch.element(.real(.infinity)) == "\"Infinity\"")
        #expect(DataMigration.InsertBatch.element(.integer(-5)) == "-5")
    }
}
