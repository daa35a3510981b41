import Foundation

/// A value bound to or read from a statement column.
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// An integer value (`Int` widened to 64 bits).
    static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
    /// Text, or NULL when `value` is nil.
    static func optional(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
    /// An integer, or NULL when `value` is nil.
    static func optional(_ value: Int64?) -> SQLValue { value.map { .integer($0) } ?? .null }
    /// A date as integer milliseconds since 1970, or NULL when nil.
    static func date(_ value: Date?) -> SQLValue { value.map { .integer(SQLDate.millis($0)) } ?? .null }
    /// A boolean as 0/1.
    static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
}

/// Dates are stored as integer milliseconds since the Unix epoch: compact, sortable, indexable.
enum SQLDate {
    /// Milliseconds since 1970 for `date`.
    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    /// The date for `millis` milliseconds since 1970.
    static func date(_ millis: Int64) -> Date { Date(timeIntervalSince1970: Double(millis) / 1000) }
}

/// One result row, read by column index in the order of the SELECT list.
public struct Row: Sendable {
    let values: [SQLValue]

    /// The value at `index` as an integer (NULL and text read as 0).
    func int64(_ index: Int) -> Int64 {
        switch values[index] {
        case .integer(let v): return v
        case .real(let v): return Int64(v)
        case .text(let s): return Int64(s) ?? 0
        case .null, .blob: return 0
        }
    }
    /// The value at `index` as an `Int`.
    func int(_ index: Int) -> Int { Int(int64(index)) }
    /// The value at `index` as an optional integer (NULL reads as nil).
    func optionalInt64(_ index: Int) -> Int64? {
        if case .null = values[index] { return nil }
        return int64(index)
    }
    /// The value at `index` as text (NULL reads as "").
    func text(_ index: Int) -> String { optionalText(index) ?? "" }
    /// The value at `index` as optional text.
    func optionalText(_ index: Int) -> String? {
        switch values[index] {
        case .text(let s): return s
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return nil
        }
    }
    /// The value at `index` as a boolean (non-zero is true).
    func bool(_ index: Int) -> Bool { int64(index) != 0 }
    /// The value at `index` as a date stored in milliseconds.
    func date(_ index: Int) -> Date { SQLDate.date(int64(index)) }
    /// The value at `index` as an optional date.
    func optionalDate(_ index: Int) -> Date? { optionalInt64(index).map(SQLDate.date) }
    /// The value at `index` as bytes.
    func blob(_ index: Int) -> [UInt8] {
        switch values[index] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        case .null, .integer, .real: return []
        }
    }
}
