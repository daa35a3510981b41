import Foundation
import Testing
@testable import Tickets

@Suite("Database")
struct DatabaseTests {
    @Test("migrations are recorded once and re-running them applies nothing")
    func migrationsIdempotent() async throws {
        let fixture = try Fixture()
        let applied = try await fixture.database.appliedMigrations()
        let expected = TestDatabase.isPostgres ? PostgresSchema.migrations : Schema.migrations
        #expect(applied == expected.map(\.number))
        #expect(try await fixture.database.migrate() == 0)
        let reopened = try Database(location: fixture.database.location)
        #expect(try await reopened.appliedMigrations() == applied)
    }

    @Test("the database runs in WAL mode with foreign keys on", .enabled(if: !TestDatabase.isPostgres, "SQLite pragmas"))
    func pragmas() async throws {
        let fixture = try Fixture()
        let (mode, keys) = try await fixture.database.read { db in
            (try db.first("PRAGMA journal_mode")!.text(0), try db.first("PRAGMA foreign_keys")!.int(0))
        }
        #expect(mode == "wal")
        #expect(keys == 1)
    }

    @Test("a failing write rolls back everything it did")
    func rollback() async throws {
        let fixture = try Fixture()
        let error = await #expect(throws: (any Error).self) {
            try await fixture.database.write { db in
                try db.run("INSERT INTO contacts (name, email, created_at) VALUES ('a', 'a@x.io', 0)")
                try db.run("INSERT INTO contacts (name, email, created_at) VALUES ('b', 'a@x.io', 0)")
            }
        }
        #expect((error as? any DatabaseConstraintError)?.isUniqueViolation == true)
        let count = try await fixture.database.read { try $0.first("SELECT count(*) FROM contacts")!.int(0) }
        #expect(count == 0)
    }

    @Test("database errors carry codes and SQL but never bound values")
    func errorShape() async throws {
        let fixture = try Fixture()
        do {
            try await fixture.database.write { db in
                try db.run("INSERT INTO contacts (name, email, created_at) VALUES (?, ?, 0)", [.text("s3cret"), .text("a@x.io")])
                try db.run("INSERT INTO contacts (name, email, created_at) VALUES (?, ?, 0)", [.text("s3cret"), .text("a@x.io")])
            }
            Issue.record("expected a UNIQUE violation")
        } catch let error as any DatabaseConstraintError {
            #expect(error.isUniqueViolation)
            #expect("\(error)".contains("INSERT INTO contacts"))
            #expect(!"\(error)".contains("s3cret"))
        }
    }

    @Test("backup produces a database that opens with the same rows", .enabled(if: !TestDatabase.isPostgres, "SQLite's backup API"))
    func backup() async throws {
        let fixture = try Fixture()
        for index in 1...25 { try await fixture.ticket("Ticket \(index)") }
        let copy = fixture.folder.appendingPathComponent("backup.sqlite").path
        try await fixture.database.backup(to: copy)
        let restored = try Database(path: copy)
        let rows = try await restored.read { try $0.query("SELECT number, subject FROM tickets ORDER BY id").map { "\($0.int(0)) \($0.text(1))" } }
        let original = try await fixture.database.read { try $0.query("SELECT number, subject FROM tickets ORDER BY id").map { "\($0.int(0)) \($0.text(1))" } }
        #expect(rows.count == 25)
        #expect(rows == original)
    }
}
