import Foundation

/// Content-Transfer-Encoding (RFC 2045 section 6): decoding of what arrives and encoding of
/// what we send. Decoders are lenient the way receiving mail must be: they skip what does
/// not belong instead of failing, and report it.
public enum TransferEncoding: Sendable, Equatable {
    case sevenBit, eightBit, binary, quotedPrintable, base64

    /// The encoding named by a Content-Transfer-Encoding value; nil for an unknown token
    /// (which RFC 2045 6.4 says to treat as an opaque attachment; we keep the bytes as they are).
    init?(header: String?) {
        guard let header else { self = .sevenBit; return }
        switch header.trimmingBlanks().lowercased() {
        case "", "7bit": self = .sevenBit
        case "8bit": self = .eightBit
        case "binary": self = .binary
        case "quoted-printable": self = .quotedPrintable
        case "base64": self = .base64
        default: return nil
        }
    }

    /// The header value for this encoding.
    var headerValue: String {
        switch self {
        case .sevenBit: return "7bit"
        case .eightBit: return "8bit"
        case .binary: return "binary"
        case .quotedPrintable: return "quoted-printable"
        case .base64: return "base64"
        }
    }
}

enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let table: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// Decodes base64, skipping line breaks and any other byte outside the alphabet (RFC 2045
    /// 6.8 says to ignore them) and stopping at the first `=`. A dangling 6-bit group is
    /// dropped; `clean` is false when anything had to be skipped besides whitespace.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], clean: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        var clean = true
        for byte in input {
            let value = table[Int(byte)]
            if value == 0xFF {
                if byte == UInt8(ascii: "=") { break }
                if byte != 0x0D && byte != 0x0A && byte != 0x20 && byte != 0x09 { clean = false }
                continue
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return (out, clean)
    }

    /// Base64 with lines of at most `lineLength` characters separated by CRLF (RFC 2045 6.8:
    /// at most 76), or one unbroken line when `lineLength` is nil (encoded words, SASL).
    static func encode(_ input: [UInt8], lineLength: Int? = 76) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 4 / 3 + input.count / 38 + 4)
        var column = 0
        func emit(_ c: UInt8) {
            if let lineLength, column == lineLength { out.append(0x0D); out.append(0x0A); column = 0 }
            out.append(c)
            column += 1
        }
        var i = 0
        while i + 3 <= input.count {
            let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
            emit(alphabet[Int(n >> 18 & 63)]); emit(alphabet[Int(n >> 12 & 63)])
            emit(alphabet[Int(n >> 6 & 63)]); emit(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = input.count - i
        if rest > 0 {
            let n = UInt32(input[i]) << 16 | (rest == 2 ? UInt32(input[i + 1]) << 8 : 0)
            emit(alphabet[Int(n >> 18 & 63)]); emit(alphabet[Int(n >> 12 & 63)])
            emit(rest == 2 ? alphabet[Int(n >> 6 & 63)] : UInt8(ascii: "=")); emit(UInt8(ascii: "="))
        }
        return out
    }

    /// Base64 of `input` on one line, as a String.
    static func encodeLine(_ input: [UInt8]) -> String { String(decoding: encode(input, lineLength: nil), as: UTF8.self) }
}

enum QuotedPrintable {
    /// Decodes quoted-printable (RFC 2045 6.7): `=XX` escapes, soft line breaks (`=` at the end
    /// of a line), trailing blanks on a line removed. A malformed `=` is kept as it is, the way
    /// mail readers show it, and reported through `clean`.
    static func decode(_ input: UnsafeBufferPointer<UInt8>) -> (bytes: [UInt8], clean: Bool) {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var clean = true
        var i = 0
        let n = input.count
        while i < n {
            let b = input[i]
            if b == UInt8(ascii: "=") {
                // Soft line break: "=" then optional blanks then (CR)LF.
                var j = i + 1
                while j < n, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
                if j < n, input[j] == 0x0A { i = j + 1; continue }
                if j + 1 < n, input[j] == 0x0D, input[j + 1] == 0x0A { i = j + 2; continue }
                if j == n { break }  // "=" at the very end: a soft break with no line after it
                if i + 2 < n, let hi = hexValue(input[i + 1]), let lo = hexValue(input[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                clean = false
                out.append(b)
                i += 1
                continue
            }
            if b == 0x20 || b == 0x09 {
                // Trailing blanks before a line break were added in transport (RFC 2045 6.7 (3)).
                var j = i
                while j < n, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
                if j == n || input[j] == 0x0A || (input[j] == 0x0D && j + 1 < n && input[j + 1] == 0x0A) {
                    i = j
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: input[i..<j]))
                i = j
                continue
            }
            out.append(b)
            i += 1
        }
        return (out, clean)
    }

    /// Quoted-printable for a text body with CRLF line breaks: lines of at most 76 characters
    /// with soft breaks, `=` and 8-bit bytes escaped, trailing blanks escaped, and a leading
    /// "." or "From " escaped so SMTP dot handling and mbox tools cannot alter the text.
    static func encode(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count + text.count / 8)
        let hex = Array("0123456789ABCDEF".utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, b) in text.enumerated() where b == 0x0A {
            let end = i > start && text[i - 1] == 0x0D ? i - 1 : i
            lines.append(text[start..<end])
            start = i + 1
        }
        lines.append(text[start...])
        for (lineIndex, line) in lines.enumerated() {
            if lineIndex > 0 { out.append(contentsOf: [0x0D, 0x0A]) }
            var column = 0
            for (offset, b) in zip(line.indices, line) {
                let isLast = offset == line.index(before: line.endIndex)
                var token: [UInt8]
                let needsEscape = b == UInt8(ascii: "=") || b >= 0x7F || (b < 0x20 && b != 0x09)
                    || ((b == 0x20 || b == 0x09) && isLast)
                    || (column == 0 && b == UInt8(ascii: "."))
                    || (column == 0 && b == UInt8(ascii: "F") && line[offset...].starts(with: Array("From ".utf8)))
                if needsEscape {
                    token = [UInt8(ascii: "="), hex[Int(b >> 4)], hex[Int(b & 15)]]
                } else {
                    token = [b]
                }
                // Keep room for the soft break "=" within 76 characters.
                if column + token.count > 75 {
                    out.append(contentsOf: [UInt8(ascii: "="), 0x0D, 0x0A])
                    column = 0
                    if token == [UInt8(ascii: ".")] { token = Array("=2E".utf8) }
                }
                out.append(contentsOf: token)
                column += token.count
            }
        }
        return out
    }
}

@inline(__always) func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    default: return nil
    }
}
