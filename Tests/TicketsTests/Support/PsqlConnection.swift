import Foundation
@testable import Tickets

/// A `Connection` that runs each statement through the psql program: enough for tests of
/// PostgreSQL SQL (schema, text search) before the libpq connection is on main. Each `?` is
/// replaced by a typed literal (`CAST('...' AS TEXT)`, `CAST(5 AS BIGINT)`), standing in
/// for a typed parameter; values come back as text (or NULL), which `Row` reads as needed.
/// Test-only: one psql process per statement, no transactions across calls.
final class PsqlConnection: Connection {
    let dialect = SQLDialect.postgres
    let url: String
    var eventsAppended = false
    var inTransaction: Bool { false }

    init(url: String) { self.url = url }

    func execute(_ sql: String) throws { try PostgresTestServer.psql(url, sql) }

    func query(_ sql: String, _ bindings: [SQLValue]) throws -> [Row] {
        try PostgresTestServer.psql(url, Self.inline(sql, bindings)).map { fields in
            Row(values: fields.map { $0.map(SQLValue.text) ?? .null })
        }
    }

    func run(_ sql: String, _ bindings: [SQLValue]) throws -> Int {
        try PostgresTestServer.psql(url, Self.inline(sql, bindings))
        return 0
    }

    func scanIntegerTriples(_ sql: String, _ body: (Int64, Int64, Int64) -> Void) throws {
        for row in try query(sql, []) { body(row.int64(0), row.int64(1), row.int64(2)) }
    }

    func transaction<T>(_ body: () throws -> T) throws -> T { try body() }
    func readTransaction<T>(_ body: () throws -> T) throws -> T { try body() }

    /// `sql` with every `?` outside string literals replaced by its binding as a typed literal.
    static func inline(_ sql: String, _ bindings: [SQLValue]) -> String {
        var output = ""
        var values = bindings.makeIterator()
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            guard character == "?", !quoted else {
                output.append(character)
                continue
            }
            guard let value = values.next() else { preconditionFailure("fewer bindings than placeholders: \(sql)") }
            output += literal(value)
        }
        precondition(values.next() == nil, "more bindings than placeholders: \(sql)")
        return output
    }

    private static func literal(_ value: SQLValue) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let v): "CAST(\(v) AS BIGINT)"
        case .real(let v): "CAST(\(v) AS DOUBLE PRECISION)"
        case .text(let s): "CAST('\(s.replacingOccurrences(of: "'", with: "''"))' AS TEXT)"
        case .blob(let b): "'\\x\(b.map { String(format: "%02x", $0) }.joined())'::bytea"
        }
    }
}
