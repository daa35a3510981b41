import Foundation

extension DataMigration {
    /// A table's row count and SHA-256 over its rows, in primary-key order, each value brought
    /// to its PostgreSQL column's kind and written in one canonical form, so the same rows give
    /// the same checksum whichever database they were read from.
    public struct Tally: Sendable, Equatable {
        public let rows: Int
        /// Lower-case hex of the SHA-256.
        public let checksum: String
    }

    /// Feeds rows into a table's running SHA-256 in the canonical encoding: per value a tag
    /// byte (0 NULL, 1 integer, 2 real, 3 text, 4 bytes), then integers and reals as 8 bytes
    /// big-endian (reals by their IEEE bits, NaN as one pattern), text and bytes as a 4-byte
    /// big-endian length and the bytes (text in UTF-8).
    final class TableHasher {
        private let hasher = Crypto.SHA256Hasher()
        private var buffer: [UInt8] = []
        private(set) var rows = 0

        init() { buffer.reserveCapacity(1 << 16) }

        func add(_ values: [SQLValue]) {
            rows += 1
            for value in values {
                switch value {
                case .null: buffer.append(0)
                case .integer(let v):
                    buffer.append(1)
                    append64(UInt64(bitPattern: v))
                case .real(let v):
                    buffer.append(2)
                    append64(v.isNaN ? Double.nan.bitPattern : v.bitPattern)
                case .text(let s):
                    buffer.append(3)
                    appendBytes(s.utf8)
                case .blob(let b):
                    buffer.append(4)
                    appendBytes(b)
                }
            }
            if buffer.count >= 1 << 16 { drain() }
        }

        func finish() -> Tally {
            drain()
            return Tally(rows: rows, checksum: Encoding.hex(hasher.finish()))
        }

        private func drain() {
            buffer.withUnsafeBytes { hasher.update($0) }
            buffer.removeAll(keepingCapacity: true)
        }

        private func append64(_ value: UInt64) {
            for shift in stride(from: 56, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
        }

        private func appendBytes<C: Collection>(_ bytes: C) where C.Element == UInt8 {
            let count = UInt32(truncatingIfNeeded: bytes.count)
            for shift in stride(from: 24, through: 0, by: -8) { buffer.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
            buffer.append(contentsOf: bytes)
        }
    }

    /// `row`'s values brought to `columns`' kinds: an integral REAL in an integer column
    /// becomes an integer, an integer in a real column a real, text in a bytes column its
    /// UTF-8 bytes. Anything else that does not fit throws `unconvertible`, naming the row by
    /// its key (never by other values).
    static func normalized(_ row: Row, _ table: TablePlan) throws -> [SQLValue] {
        var values: [SQLValue] = []
        values.reserveCapacity(table.columns.count)
        for (index, column) in table.columns.enumerated() {
            let value = row.values[index]
            switch (column.kind, value) {
            case (_, .null), (.integer, .integer), (.real, .real), (.text, .text), (.bytes, .blob):
                values.append(value)
            case (.integer, .real(let v)) where v.rounded() == v && abs(v) < 9.2e18:
                values.append(.integer(Int64(v)))
            case (.real, .integer(let v)):
                values.append(.real(Double(v)))
            case (.bytes, .text(let s)):
                values.append(.blob(Array(s.utf8)))
            default:
                throw DataMigrationError.unconvertible(table: table.name, column: column.name, key: keyDescription(row, table),
                                                       found: kindName(value), expected: "\(column.kind)")
            }
        }
        return values
    }

    /// `id = 7` or `(ticket_id, tag) = (7, 'vip')`: the row's key, for error messages.
    static func keyDescription(_ row: Row, _ table: TablePlan) -> String {
        guard table.hasPrimaryKey else { return "a row without primary key" }
        let indexes = table.orderBy.compactMap { key in table.columns.firstIndex(of: key) }
        let values = indexes.map { index -> String in
            switch row.values[index] {
            case .null: return "NULL"
            case .integer(let v): return String(v)
            case .real(let v): return String(v)
            case .text(let s): return "'" + s.prefix(40) + "'"
            case .blob(let b): return "<\(b.count) bytes>"
            }
        }
        let names = table.orderBy.map(\.name)
        return names.count == 1 ? "\(names[0]) = \(values[0])"
            : "(\(names.joined(separator: ", "))) = (\(values.joined(separator: ", ")))"
    }

    private static func kindName(_ value: SQLValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer: return "an integer"
        case .real: return "a real"
        case .text: return "text"
        case .blob: return "a blob"
        }
    }

    /// `SELECT <columns> FROM <table> ORDER BY <key>` in `dialect`: text keys in byte order
    /// (SQLite's BINARY, PostgreSQL's "C", whatever the database's collation), NULLs first.
    static func selectInKeyOrder(_ table: TablePlan, _ dialect: SQLDialect, where condition: String = "") -> String {
        let order = table.orderBy.map { column -> String in
            let collation = column.kind != .text ? "" : dialect == .sqlite ? " COLLATE BINARY" : " COLLATE \"C\""
            return quoted(column.name) + collation + " NULLS FIRST"
        }
        return "SELECT \(table.columns.map { quoted($0.name) }.joined(separator: ", ")) FROM \(quoted(table.name))"
            + condition + " ORDER BY " + order.joined(separator: ", ")
    }

    /// `name` as a quoted identifier (valid in both databases).
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Row count and checksum of every planned table as `db` holds it (SQLite or PostgreSQL),
    /// streamed in key order. Call inside a read transaction for a consistent answer.
    static func tallies(_ plan: Plan, forEachRow: (String, (Row) throws -> Void) throws -> Void,
                        dialect: SQLDialect) throws -> [String: Tally] {
        var result: [String: Tally] = [:]
        for table in plan.tables {
            let hasher = TableHasher()
            try forEachRow(selectInKeyOrder(table, dialect)) { row in hasher.add(try normalized(row, table)) }
            result[table.name] = hasher.finish()
        }
        return result
    }
}
