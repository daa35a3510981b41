/// Rows for `COPY ... FROM STDIN` in PostgreSQL's text format, encoded as they are appended
/// (`PostgresConnection.copy`): columns separated by a tab, rows ended by a newline, NULL as
/// `\N`, and in values the backslash, tab, newline and carriage return escaped with a
/// backslash. Integers in decimal, reals as `PostgresType.text(of:)` writes parameters,
/// BYTEA in its hex form (`\x0aff`, its backslash escaped like any other).
struct PostgresCopyRows {
    /// How many values each row has.
    let columnCount: Int
    /// The encoded rows so far.
    private(set) var bytes: [UInt8] = []
    /// How many rows were appended.
    private(set) var count = 0

    init(columnCount: Int) {
        self.columnCount = columnCount
    }

    /// Appends one row. Throws `PostgresError` (`.usage`) when it has another number of values
    /// than `columnCount`, or text holding NUL (which PostgreSQL text cannot store); nothing
    /// is appended then.
    mutating func append(_ row: [SQLValue]) throws {
        guard row.count == columnCount else {
            throw PostgresError(kind: .usage, message: "a COPY row of \(row.count) values for \(columnCount) columns")
        }
        if row.contains(where: { if case .text(let s) = $0 { s.utf8.contains(0) } else { false } }) {
            throw PostgresError(kind: .usage, message: "text holding NUL cannot be stored in PostgreSQL")
        }
        for (index, value) in row.enumerated() {
            if index > 0 { bytes.append(tab) }
            switch value {
            case .null: bytes += [backslash, UInt8(ascii: "N")]
            case .integer(let v): bytes += String(v).utf8
            case .real(let v): bytes += PostgresType.text(of: v).utf8
            case .text(let s): appendEscaped(s.utf8)
            case .blob(let b):
                bytes += [backslash, backslash, UInt8(ascii: "x")]
                for byte in b { bytes += [Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0f)]] }
            }
        }
        bytes.append(newline)
        count += 1
    }

    /// Empties the rows (keeping the buffer's capacity for the next batch).
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func appendEscaped(_ text: String.UTF8View) {
        for byte in text {
            switch byte {
            case backslash: bytes += [backslash, backslash]
            case tab: bytes += [backslash, UInt8(ascii: "t")]
            case newline: bytes += [backslash, UInt8(ascii: "n")]
            case carriageReturn: bytes += [backslash, UInt8(ascii: "r")]
            default: bytes.append(byte)
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

private let backslash = UInt8(ascii: "\\")
private let tab = UInt8(ascii: "\t")
private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
