import Foundation

import Glibc

/// Turns bytes in a declared charset into text. UTF-8, US-ASCII and Latin-1 are decoded
/// directly; every other charset (ISO-8859-*, Windows-125*, KOI8, Shift_JIS, EUC-*, ISO-2022-JP,
/// GBK, Big5, ...) goes through glibc's iconv. Invalid sequences become U+FFFD, one per bad
/// byte, so a broken encoding loses only the broken characters.
enum Charset {
    /// Decodes `bytes` as `charset`; `known` is false when the charset is not one iconv has,
    /// in which case the text is read as UTF-8, or Latin-1 when it is not valid UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>, charset: String?) -> (text: String, known: Bool) {
        let name = normalizedName(charset)
        switch name {
        case "UTF-8", "US-ASCII":
            // Mail labelled ASCII is often 8-bit UTF-8 in practice; read it leniently.
            if let text = String(validating: bytes, as: UTF8.self) { return (text, true) }
            return (String(decoding: bytes, as: UTF8.self), true)
        case "ISO-8859-1":
            // As browsers do (WHATWG Encoding), Latin-1 is read as Windows-1252: senders that
            // declare it routinely use the 0x80-0x9F punctuation.
            return iconvDecode(bytes, from: "WINDOWS-1252").map { ($0, true) } ?? (textFromBytes(bytes), true)
        default:
            if let text = iconvDecode(bytes, from: name) { return (text, true) }
            return (textFromBytes(bytes), false)
        }
    }

    /// The iconv name for a MIME charset label (RFC 2978 names, case-insensitive), with the
    /// aliases mail clients emit that iconv spells differently.
    static func normalizedName(_ label: String?) -> String {
        guard let label, !label.isEmpty else { return "US-ASCII" }
        let upper = String(decoding: label.utf8.filter { $0 != 0x20 && $0 != 0x22 && $0 != 0x27 }, as: UTF8.self).uppercased()
        switch upper {
        case "UTF8", "UTF-8", "UNICODE-1-1-UTF-8": return "UTF-8"
        case "ASCII", "US-ASCII", "ANSI_X3.4-1968", "DEFAULT", "X-UNKNOWN", "UNKNOWN-8BIT": return "US-ASCII"
        case "LATIN1", "ISO-8859-1", "ISO8859-1", "ISO_8859-1", "L1", "CP819": return "ISO-8859-1"
        case "KS_C_5601-1987", "KS_C_5601", "EUC-KR", "KOREAN": return "CP949"  // Outlook's label for Korean
        case "GB2312", "X-GBK", "GBK", "CP936": return "GBK"                   // GBK is GB2312's superset
        case "SHIFT-JIS", "X-SJIS", "SJIS", "MS_KANJI", "SHIFT_JIS": return "CP932"  // Windows' Shift_JIS
        case "UNICODE-1-1-UTF-7", "UTF7": return "UTF-7"
        default: return upper
        }
    }

    /// Open converters by charset, lent out one caller at a time (an iconv_t is not thread-safe).
    /// Opening one loads glibc's gconv module from disk, which costs more than converting a
    /// typical mail body; the pool keeps at most one idle converter per charset.
    private static let pool = ConverterPool()

    private static func iconvDecode(_ bytes: ArraySlice<UInt8>, from charset: String) -> String? {
        guard let cd = pool.take(charset) else { return nil }
        defer { pool.give(cd, for: charset) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 2)
        var scratch = [UInt8](repeating: 0, count: 4096)
        var input = Array(bytes)
        let total = input.count
        input.withUnsafeMutableBufferPointer { inBuffer in
            var consumed = 0
            while consumed < total {
                var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuffer.baseAddress! + consumed)
                    .assumingMemoryBound(to: CChar.self)
                var inLeft = total - consumed
                let result: Int = scratch.withUnsafeMutableBufferPointer { out in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = out.count
                    let rc = iconv(cd, &inPointer, &inLeft, &outPointer, &outLeft)
                    let saved = errno
                    output.append(contentsOf: out[0..<(out.count - outLeft)])
                    return rc == -1 ? Int(saved) : 0
                }
                consumed = total - inLeft
                switch result {
                case 0: continue
                case Int(E2BIG): continue  // output chunk full: go round again
                default:
                    // EILSEQ (invalid) or EINVAL (truncated at the end): one replacement
                    // character for the bad byte, then resynchronise after it.
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    consumed += 1
                    _ = iconv(cd, nil, nil, nil, nil)
                }
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Idle iconv converters by charset name.
private final class ConverterPool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [String: iconv_t] = [:]
    /// Charset names iconv does not know, so they are not looked up again.
    private var unknown: Set<String> = []
    /// Bounds the pool: mail declares a few dozen charsets at most; junk labels are not kept.
    private let maxCharsets = 64

    func take(_ charset: String) -> iconv_t? {
        let cached: iconv_t?? = lock.withLock {
            if unknown.contains(charset) { return .some(nil) }
            return idle.removeValue(forKey: charset).map { .some($0) }
        }
        if let cached { return cached }
        guard let cd = iconv_open("UTF-8", charset), Int(bitPattern: cd) != -1 else {
            lock.withLock { if unknown.count < 1024 { unknown.insert(charset) } }
            return nil
        }
        return cd
    }

    func give(_ cd: iconv_t, for charset: String) {
        _ = iconv(cd, nil, nil, nil, nil)  // back to the initial shift state (ISO-2022-JP)
        let keep: Bool = lock.withLock {
            guard idle[charset] == nil, idle.count < maxCharsets else { return false }
            idle[charset] = cd
            return true
        }
        if !keep { iconv_close(cd) }
    }
}
