import Foundation
import Testing
@testable import Tickets

@Suite("PostgreSQL schema", .enabled(if: PostgresTestServer.url != nil, PostgresTestServer.skipReason))
struct PostgresSchemaTests {
    @Test("the baseline applies cleanly to an empty UTF8 database in one transaction")
    func baselineApplies() throws {
        let database = try PostgresTestDatabase()
        try database.psql(PostgresSchema.baseline, atomic: true)
        let tables = try database.psql("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        #expect(tables.first?.first == "43")
    }

    @Test("the baseline has SQLite's tables, columns, keys, indexes, checks and seed rows (scripts/compare-schemas)")
    func matchesSQLite() throws {
        let database = try PostgresTestDatabase()
        try database.psql(PostgresSchema.baseline, atomic: true)
        let fixture = try Fixture(onSQLite: true)
        let path = fixture.folder.appendingPathComponent("helpdesk.sqlite").path
        let report = try withExtendedLifetime(fixture) {
            try PostgresTestServer.run(["python3", "scripts/compare-schemas", path, database.url, "--seeds"])
        }
        #expect(report.hasSuffix("0 difference(s) over 43 tables"))
    }

    @Test("a seeded role keeps its id and the next role gets the one after the built-in ones")
    func roleIdentityAfterSeeds() throws {
        let database = try PostgresTestDatabase()
        try database.psql(PostgresSchema.baseline, atomic: true)
        let id = try database.psql("INSERT INTO roles (name) VALUES ('Triage') RETURNING id")
        #expect(id.first?.first == "4")
    }

    @Test("names unique without regard to case, like SQLite's COLLATE NOCASE")
    func caseInsensitiveNames() throws {
        let database = try PostgresTestDatabase()
        try database.psql(PostgresSchema.baseline, atomic: true)
        #expect(throws: PostgresTestError.self) { try database.psql("INSERT INTO roles (name) VALUES ('AGENT')") }
        #expect(throws: PostgresTestError.self) {
            try database.psql("""
                INSERT INTO sla_policies (name, fr_urgent, fr_high, fr_medium, fr_low, res_urgent, res_high, res_medium,
                    res_low, start_minute, end_minute, weekdays, time_zone, warning_percent, created_at, updated_at)
                VALUES ('standard', 1, 1, 1, 1, 1, 1, 1, 1, 0, 60, 62, 'UTC', 25, 0, 0)
                """)
        }
    }

    @Test("foreign keys cascade and set null as on SQLite; CHECKs refuse what SQLite refuses")
    func constraints() throws {
        let database = try PostgresTestDatabase()
        try database.psql(PostgresSchema.baseline, atomic: true)
        try database.psql("""
            INSERT INTO agents (id, name, email, password_hash, role_id, created_at) VALUES (7, 'A', 'a@x.io', 'h', 3, 0);
            INSERT INTO contacts (id, name, email, created_at) VALUES (5, 'C', 'c@x.io', 0);
            INSERT INTO tickets (id, number, subject, description, status, priority, priority_rank, category, channel,
                requester_id, assignee_id, created_at, updated_at) VALUES (9, 1, 's', 'd', 'open', 'low', 3, 'general',
                'web', 5, 7, 0, 0);
            INSERT INTO messages (ticket_id, kind, author_agent_id, body, created_at) VALUES (9, 'reply', 7, 'b', 0);
            DELETE FROM agents WHERE id = 7;
            """)
        #expect(try database.psql("SELECT assignee_id, due_sort FROM tickets") == [[nil, "9223372036854775807"]])
        try database.psql("DELETE FROM tickets WHERE id = 9")
        #expect(try database.psql("SELECT count(*) FROM messages") == [["0"]])
        #expect(throws: PostgresTestError.self) { try database.psql("UPDATE survey_settings SET id = 2") }
        #expect(throws: PostgresTestError.self) { try database.psql("INSERT INTO account_settings (id, name, updated_at) VALUES (2, 'x', 0)") }
    }
}
