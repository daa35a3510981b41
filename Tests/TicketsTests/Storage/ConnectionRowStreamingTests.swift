import Foundation
import Testing
@testable import Tickets

/// `forEachRow` on both connections: rows handed over one at a time, a throwing body stops
/// the scan, and the connection serves the next statement afterwards.
@Suite("Row streaming")
struct ConnectionRowStreamingTests {
    struct Stop: Error {}

    @Test("SQLite hands every row in order with bound values, and stops where the body throws")
    func sqlite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try SQLiteConnection(path: folder.appendingPathComponent("t.sqlite").path)
        let sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i, 'row ' || i, x'00ff' FROM n"
        var seen: [Int64] = []
        try db.forEachRow(sql, [.integer(5_000)]) { row in
            seen.append(row.int64(0))
            #expect(row.text(1) == "row \(row.int64(0))" && row.blob(2) == [0, 255])
        }
        #expect(seen == Array(1...5_000))
        var count = 0
        #expect(throws: Stop.self) {
            try db.forEachRow(sql, [.integer(5_000)]) { _ in
                count += 1
                if count == 10 { throw Stop() }
            }
        }
        #expect(count == 10)
        #expect(try db.query("SELECT 42").first?.int64(0) == 42)
    }

    @Test("PostgreSQL hands every row in order with bound values, and a throwing body cancels the rest",
          .enabled(if: TestDatabase.server != nil, TestDatabase.skipReason))
    func postgres() throws {
        let url = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(url)) }
        let db = try PostgresConnection(url: url)
        let sql = "SELECT i, 'row ' || i, CAST('\\x00ff' AS BYTEA), CAST(i AS DOUBLE PRECISION) / 2 FROM generate_series(1, CAST(? AS BIGINT)) AS i"
        var seen: [Int64] = []
        try db.forEachRow(sql, [.integer(5_000)]) { row in
            seen.append(row.int64(0))
            #expect(row.text(1) == "row \(row.int64(0))" && row.blob(2) == [0, 255])
            #expect(row.values[3] == .real(Double(row.int64(0)) / 2))
        }
        #expect(seen == Array(1...5_000))
        var count = 0
        #expect(throws: Stop.self) {
            try db.forEachRow(sql, [.integer(50_000_000)]) { _ in
                count += 1
                if count == 10 { throw Stop() }
            }
        }
        #expect(count == 10)
        #expect(try db.query("SELECT 42").first?.int64(0) == 42)
        #expect(throws: PostgresError.self) { try db.forEachRow("SELECT nope FROM nowhere") { _ in } }
        #expect(try db.query("SELECT 43").first?.int64(0) == 43)
    }
}
