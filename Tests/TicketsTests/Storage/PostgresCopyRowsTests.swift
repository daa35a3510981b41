import Testing
@testable import Tickets

@Suite("PostgreSQL COPY rows (text format)")
struct PostgresCopyRowsTests {
    @Test("values are tab-separated, rows newline-ended, NULL is \\N, numbers in decimal")
    func layout() throws {
        var rows = PostgresCopyRows(columnCount: 4)
        try rows.append([.integer(-7), .real(0.5), .null, .text("plain")])
        try rows.append([.integer(Int64.max), .real(-.infinity), .text(""), .real(.nan)])
        #expect(String(decoding: rows.bytes, as: UTF8.self) == "-7\t0.5\t\\N\tplain\n9223372036854775807\t-Infinity\t\tNaN\n")
        #expect(rows.count == 2)
    }

    @Test("backslash, tab, newline and carriage return in text are escaped; other text passes as UTF-8")
    func escapesText() throws {
        var rows = PostgresCopyRows(columnCount: 1)
        try rows.append([.text("a\\b\tc\nd\re \\N é 名")])
        #expect(String(decoding: rows.bytes, as: UTF8.self) == "a\\\\b\\tc\\nd\\re \\\\N é 名\n")
    }

    @Test("bytes are BYTEA hex with the backslash escaped")
    func encodesBytes() throws {
        var rows = PostgresCopyRows(columnCount: 2)
        try rows.append([.blob([0x00, 0x5c, 0xff]), .blob([])])
        #expect(String(decoding: rows.bytes, as: UTF8.self) == "\\\\x005cff\t\\\\x\n")
    }

    @Test("a row of the wrong width or text holding NUL is refused and nothing is appended")
    func refusesBadRows() throws {
        var rows = PostgresCopyRows(columnCount: 2)
        #expect(throws: PostgresError.self) { try rows.append([.integer(1)]) }
        #expect(throws: PostgresError.self) { try rows.append([.integer(1), .text("a\u{0}b")]) }
        #expect(rows.bytes.isEmpty && rows.count == 0)
        try rows.append([.integer(1), .integer(2)])
        rows.removeAll()
        #expect(rows.bytes.isEmpty && rows.count == 0)
    }
}

/// `PostgresConnection.copy` against the server in `HELPDESK_TEST_DATABASE`.
@Suite("PostgreSQL COPY", .enabled(if: TestDatabase.isPostgres, TestDatabase.skipReason))
struct PostgresCopyTests {
    @Test("rows copied read back equal to the same values inserted with parameters")
    func roundTrips() throws {
        let scratch = try PostgresConnectionTests.Scratch()
        let db = try scratch.connect()
        try db.execute("CREATE TABLE v (n BIGINT, i BIGINT, r DOUBLE PRECISION, t TEXT, b BYTEA)")
        let samples: [[SQLValue]] = [
            [.integer(Int64.max), .real(0.1), .text("plain"), .blob([0, 1, 0x5c, 0x27, 0x78, 0xff, 0x80, 0])],
            [.integer(Int64.min), .real(-1e300), .text("it's \"quoted\" ? é 名 🎫\\ \\N\ttab\nline\rcr"), .blob([])],
            [.null, .null, .null, .null],
            [.integer(0), .real(.infinity), .text(""), .blob(Array(0...255))],
        ]
        var rows = PostgresCopyRows(columnCount: 5)
        for (index, sample) in samples.enumerated() { try rows.append([.int(index)] + sample) }
        #expect(try db.copy(into: "v", columns: ["n", "i", "r", "t", "b"], rows: rows) == samples.count)
        #expect(try db.query("SELECT i, r, t, b FROM v ORDER BY n").map(\.values) == samples)
    }

    @Test("a row the server refuses stores nothing of the batch, and the connection goes on working")
    func refusedBatch() throws {
        let scratch = try PostgresConnectionTests.Scratch()
        let db = try scratch.connect()
        try db.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL)")
        var rows = PostgresCopyRows(columnCount: 2)
        try rows.append([.integer(1), .text("one")])
        try rows.append([.integer(2), .null])
        let error = try #require(throws: PostgresError.self) { try db.copy(into: "t", columns: ["id", "name"], rows: rows) }
        #expect(error.sqlState == "23502")  // not_null_violation
        #expect(try db.first("SELECT count(*) FROM t")?.int64(0) == 0)
        rows.removeAll()
        try rows.append([.integer(3), .text("three")])
        try db.transaction { _ = try db.copy(into: "t", columns: ["id", "name"], rows: rows) }
        #expect(try db.query("SELECT id, name FROM t").map(\.values) == [[.integer(3), .text("three")]])
    }
}
