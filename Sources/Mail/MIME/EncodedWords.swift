import Foundation

/// RFC 2047 encoded words (`=?charset?B|Q?text?=`) in header text: decoding what arrives and
/// encoding non-ASCII text we send.
enum EncodedWords {
    /// Decodes every encoded word in `text`. Blanks between two adjacent encoded words are
    /// dropped (RFC 2047 section 6.2), and adjacent words in the same charset are decoded
    /// together, so a multi-byte character split across two words (as some clients do)
    /// survives. A malformed word is left as it is.
    static func decode(_ text: String) -> String {
        guard containsWordStart(text) else { return text }
        var result = ""
        var pendingBytes: [UInt8] = []
        var pendingCharset: String?
        var pendingBlanks = ""  // blanks after an encoded word, dropped if another word follows

        func flushPending() {
            if let charset = pendingCharset {
                result += Charset.decode(pendingBytes[...], charset: charset).text
            }
            pendingBytes.removeAll()
            pendingCharset = nil
        }

        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let word = parseWord(rest) {
                if pendingCharset != nil, pendingCharset?.caseInsensitiveEquals(word.charset) == false {
                    flushPending()
                }
                pendingCharset = word.charset
                pendingBytes += word.bytes
                pendingBlanks = ""
                rest = rest[word.end...]
                continue
            }
            let c = rest.first!
            if pendingCharset != nil, c == " " || c == "\t" || c == "\r" || c == "\n" {
                pendingBlanks.append(c)
                rest = rest.dropFirst()
                continue
            }
            flushPending()
            result += pendingBlanks.replacingLineBreaks()
            pendingBlanks = ""
            result.append(c)
            rest = rest.dropFirst()
        }
        flushPending()
        result += pendingBlanks
        return result
    }

    /// Whether `text` has "=?" anywhere (a byte scan; Foundation's `contains` costs more than
    /// decoding a typical header).
    static func containsWordStart(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for b in text.utf8 {
            if previous == UInt8(ascii: "=") && b == UInt8(ascii: "?") { return true }
            previous = b
        }
        return false
    }

    private struct Word {
        let charset: String
        let bytes: [UInt8]
        let end: Substring.Index
    }

    /// Parses one encoded word at the start of `text` (RFC 2047 section 2), or nil.
    private static func parseWord(_ text: Substring) -> Word? {
        let body = text.dropFirst(2)
        guard let q1 = body.firstIndex(of: "?") else { return nil }
        var charset = String(body[..<q1])
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 section 5 language
        let afterCharset = body[body.index(after: q1)...]
        guard afterCharset.count >= 3, let encoding = afterCharset.first,
              afterCharset[afterCharset.index(after: afterCharset.startIndex)] == "?" else { return nil }
        let payloadStart = afterCharset.index(afterCharset.startIndex, offsetBy: 2)
        let payloadAndRest = afterCharset[payloadStart...]
        guard let close = payloadAndRest.range(of: "?=") else { return nil }
        let payload = payloadAndRest[..<close.lowerBound]
        guard !charset.isEmpty, !payload.contains(" ") else { return nil }
        let bytes: [UInt8]
        switch encoding {
        case "B", "b":
            bytes = Array(payload.utf8).withUnsafeBufferPointer { Base64.decode($0).bytes }
        case "Q", "q":
            // RFC 2047 4.2: "_" is a space; otherwise quoted-printable escapes.
            let raw = Array(payload.utf8).map { $0 == UInt8(ascii: "_") ? 0x20 : $0 }
            bytes = raw.withUnsafeBufferPointer { QuotedPrintable.decode($0).bytes }
        default:
            return nil
        }
        return Word(charset: charset, bytes: bytes, end: close.upperBound)
    }

    /// Whether `text` can go into a header as it is: printable ASCII and blanks, and nothing
    /// that a reader would take for an encoded word.
    static func isPlainASCII(_ text: String) -> Bool {
        !containsWordStart(text) && text.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }
    }

    /// `text` as UTF-8 base64 encoded words of at most 75 characters each (RFC 2047 section 2),
    /// split between characters, never inside one. The first word is at most `firstWordRoom`
    /// characters, so it fits on the line after the field name.
    static func encode(_ text: String, firstWordRoom: Int = 75) -> [String] {
        let prefix = "=?UTF-8?B?", suffix = "?="
        // 75 - 12 = 63 base64 characters -> at most 45 bytes of UTF-8 per word.
        let maxBytes = (75 - prefix.count - suffix.count) / 4 * 3
        let firstMaxBytes = max(3, (min(firstWordRoom, 75) - prefix.count - suffix.count) / 4 * 3)
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > (words.isEmpty ? firstMaxBytes : maxBytes), !chunk.isEmpty {
                words.append(prefix + Base64.encodeLine(chunk) + suffix)
                chunk.removeAll()
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(prefix + Base64.encodeLine(chunk) + suffix) }
        return words
    }
}

extension String {
    /// Each CR and LF as a space, so text meant for one line stays on one (scalars, not
    /// Characters: "\r\n" is a single Character and would slip past a Character test).
    func replacingLineBreaks() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\r" || $0 == "\n" ? " " : $0 }))
    }
}
