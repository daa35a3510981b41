import CPostgres
import Foundation

/// How `SQLValue`s travel to and from PostgreSQL: parameter type OIDs and formats, and the
/// decoding of text-format result columns by their type OID (from `pg_type.dat`).
enum PostgresType {
    static let bool: Oid = 16
    static let bytea: Oid = 17
    static let int8: Oid = 20
    static let int2: Oid = 21
    static let int4: Oid = 23
    static let text: Oid = 25
    static let oid: Oid = 26
    static let float4: Oid = 700
    static let float8: Oid = 701
    static let numeric: Oid = 1700
    /// "Unspecified": the server infers the parameter's type from where it is used.
    static let unspecified: Oid = 0

    /// The type a parameter is prepared with.
    static func parameterType(_ value: SQLValue) -> Oid {
        switch value {
        case .null: return unspecified
        case .integer: return int8
        case .real: return float8
        case .text: return text
        case .blob: return bytea
        }
    }

    /// A result column's value (text format) as an `SQLValue`.
    static func decode(_ bytes: UnsafeRawBufferPointer, type: Oid) -> SQLValue {
        switch type {
        case int8, int4, int2, oid:
            return .integer(Int64(String(decoding: bytes, as: UTF8.self)) ?? 0)
        case float8, float4, numeric:
            return .real(Double(String(decoding: bytes, as: UTF8.self)) ?? .nan)
        case bool:
            return .integer(bytes.first == UInt8(ascii: "t") ? 1 : 0)
        case bytea:
            return .blob(decodeHex(bytes))
        default:
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// Decodes BYTEA's text output in the hex format (`\x0a1b...`, the default since 9.0).
    static func decodeHex(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x") else {
            return Array(bytes)
        }
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count - 2) / 2)
        var index = 2
        while index + 1 < bytes.count {
            output.append(nibble(bytes[index]) << 4 | nibble(bytes[index + 1]))
            index += 2
        }
        return output
    }

    private static func nibble(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return 0
        }
    }

    /// A parameter's text form: Swift's shortest round-tripping digits, and the spellings
    /// PostgreSQL reads for the non-finite values.
    static func text(of value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return String(value)
    }
}

/// The parameter arrays of one `PQexecPrepared` call: text format for numbers and text,
/// binary for BYTEA (no escaping), NULL as a null pointer. Call `deallocate` after the call.
struct PostgresParameters {
    let values: UnsafeMutablePointer<UnsafePointer<CChar>?>
    let lengths: UnsafeMutablePointer<Int32>
    let formats: UnsafeMutablePointer<Int32>
    private let count: Int

    init(_ bindings: [SQLValue]) {
        count = bindings.count
        values = .allocate(capacity: max(1, count))
        lengths = .allocate(capacity: max(1, count))
        formats = .allocate(capacity: max(1, count))
        for (index, value) in bindings.enumerated() {
            lengths[index] = 0
            formats[index] = 0
            switch value {
            case .null: values[index] = nil
            case .integer(let v): values[index] = UnsafePointer(strdup(String(v)))
            case .real(let v): values[index] = UnsafePointer(strdup(PostgresType.text(of: v)))
            case .text(let s): values[index] = UnsafePointer(strdup(s))
            case .blob(let b):
                let copy = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, b.count))
                b.withUnsafeBytes { UnsafeMutableRawPointer(copy).copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(copy), byteCount: b.count) }
                values[index] = UnsafePointer(copy)
                lengths[index] = Int32(b.count)
                formats[index] = 1
            }
        }
    }

    func deallocate() {
        for index in 0..<count {
            guard let value = values[index] else { continue }
            if formats[index] == 1 {
                UnsafeMutablePointer(mutating: value).deallocate()
            } else {
                free(UnsafeMutablePointer(mutating: value))
            }
        }
        values.deallocate()
        lengths.deallocate()
        formats.deallocate()
    }
}
