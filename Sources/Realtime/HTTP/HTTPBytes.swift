#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte classes and constants of the HTTP/1.1 grammar (RFC 9110 section 5.6, RFC 9112).
enum HTTPByte {
    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let comma = UInt8(ascii: ",")
    static let slash = UInt8(ascii: "/")
    static let dot = UInt8(ascii: ".")
    static let question = UInt8(ascii: "?")
    static let asterisk = UInt8(ascii: "*")
    static let hash = UInt8(ascii: "#")
    static let nul: UInt8 = 0x00
    static let delete: UInt8 = 0x7F

    /// `tchar` of RFC 9110 section 5.6.2: the bytes a method or field name may hold.
    @inline(__always)
    static func isTokenChar(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// `field-vchar`, SP or HTAB (RFC 9110 section 5.5): what a field value may hold.
    /// NUL, CR, LF, DEL and the other controls are refused.
    @inline(__always)
    static func isFieldValueChar(_ c: UInt8) -> Bool {
        c == tab || (c >= space && c != delete)
    }

    /// A visible US-ASCII byte (`VCHAR`), what a request target is made of.
    @inline(__always)
    static func isVisible(_ c: UInt8) -> Bool {
        c > space && c < delete
    }

    /// Optional whitespace (`OWS`, RFC 9110 section 5.6.3).
    @inline(__always)
    static func isWhitespace(_ c: UInt8) -> Bool {
        c == space || c == tab
    }

    /// ASCII lower-casing of one byte.
    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 {
        (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) ? c | 0x20 : c
    }
}

extension UnsafeRawBufferPointer {
    /// True when `self[range]` equals the lower-case ASCII `literal` ignoring case.
    @inline(__always)
    func equalsLowercased(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        var i = 0
        for index in range {
            if HTTPByte.lower(self[index]) != lit[i] { return false }
            i += 1
        }
        return true
    }

    /// True when `self[range]` equals `literal` exactly.
    @inline(__always)
    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        var i = 0
        for index in range {
            if self[index] != lit[i] { return false }
            i += 1
        }
        return true
    }

    /// `range` without leading and trailing spaces and tabs.
    @inline(__always)
    func trimmingWhitespace(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, HTTPByte.isWhitespace(self[lower]) { lower += 1 }
        while upper > lower, HTTPByte.isWhitespace(self[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// The index of the first LF at or after `start`, or nil.
    @inline(__always)
    func firstLineFeed(from start: Int) -> Int? {
        guard start < count, let base = baseAddress else { return nil }
        guard let hit = memchr(base + start, Int32(HTTPByte.lf), count - start) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    /// A String from UTF-8 bytes (invalid sequences become U+FFFD).
    @inline(__always)
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: self[range]), as: UTF8.self)
    }
}
