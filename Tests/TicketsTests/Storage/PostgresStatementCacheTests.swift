import Testing
@testable import Tickets

/// Cached prepared statements after another session changed the schema, against the server
/// in `HELPDESK_TEST_DATABASE`.
@Suite("PostgreSQL prepared statements after a schema change", .enabled(if: TestDatabase.isPostgres, TestDatabase.skipReason))
struct PostgresStatementCacheTests {
    @Test("a cached statement whose result columns changed is prepared again and retried outside a transaction")
    func retriedOutsideTransaction() throws {
        let scratch = try PostgresConnectionTests.Scratch()
        let db = try scratch.connect()
        try db.execute("CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1)")
        #expect(try db.query("SELECT * FROM t").map(\.values) == [[.integer(1)]])
        try scratch.connect().execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'")
        #expect(try db.query("SELECT * FROM t").map(\.values) == [[.integer(1), .text("x")]])
        #expect(try db.query("SELECT * FROM t").map(\.values) == [[.integer(1), .text("x")]])
    }

    @Test("inside a transaction the error ends it (no retry); the next transaction prepares the statement again")
    func notRetriedInsideTransaction() throws {
        let scratch = try PostgresConnectionTests.Scratch()
        let db = try scratch.connect()
        try db.execute("CREATE TABLE t (a BIGINT); INSERT INTO t VALUES (1)")
        #expect(try db.transaction { try db.query("SELECT * FROM t") }.map(\.values) == [[.integer(1)]])
        try scratch.connect().execute("ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'")
        let error = try #require(throws: PostgresError.self) {
            try db.transaction { _ = try db.run("INSERT INTO t (a) VALUES (2)"); _ = try db.query("SELECT * FROM t") }
        }
        #expect(error.sqlState == PostgresError.cachedPlanChanged)
        #expect(try db.transaction { try db.query("SELECT * FROM t") }.map(\.values) == [[.integer(1), .text("x")]])
    }
}
