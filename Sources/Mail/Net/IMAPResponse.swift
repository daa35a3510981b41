/// One server response (RFC 3501 section 7 / RFC 9051 section 7), parsed from its bytes with
/// any literals inline.
enum IMAPResponse: Equatable {
    /// "tag OK|NO|BAD [code] text".
    case tagged(tag: String, status: IMAPStatus, code: String?, text: String)
    /// "* OK|NO|BAD|BYE|PREAUTH [code] text".
    case status(IMAPStatus, code: String?, text: String)
    /// "* [number] KEYWORD values": "* 3 EXISTS", "* SEARCH 1 2", "* 5 FETCH (...)".
    case data(number: UInt32?, keyword: String, values: [IMAPValue])
    /// "+ text": the server waits for more.
    case continuation(String)
}

enum IMAPStatus: String, Equatable {
    case ok = "OK", no = "NO", bad = "BAD", bye = "BYE", preauth = "PREAUTH"
}

/// A value in a response: atoms (including `BODY[...]` and flags), strings (quoted or
/// literal, as bytes), parenthesized lists and NIL.
indirect enum IMAPValue: Equatable {
    case atom(String)
    case string([UInt8])
    case list([IMAPValue])
    case nil_

    var atom: String? { if case .atom(let a) = self { return a } else { return nil } }
    var bytes: [UInt8]? {
        switch self {
        case .string(let b): return b
        case .atom(let a): return Array(a.utf8)
        case .list, .nil_: return nil
        }
    }
    var list: [IMAPValue]? { if case .list(let l) = self { return l } else { return nil } }
}

struct IMAPResponseParser {
    /// Nesting of parenthesized lists; BODYSTRUCTURE goes a few levels deep, never hundreds.
    static let maxListDepth = 32

    /// Parses one complete response.
    static func parse(_ bytes: [UInt8]) throws -> IMAPResponse {
        var cursor = Cursor(bytes: bytes)
        if cursor.skip("+") {
            cursor.skipSpaces()
            return .continuation(cursor.restAsText())
        }
        let tag = cursor.readAtom()
        guard !tag.isEmpty, cursor.skip(" ") else { throw malformed(bytes) }
        if tag != "*" {
            guard let status = IMAPStatus(rawValue: cursor.readAtom().uppercased()) else { throw malformed(bytes) }
            let (code, text) = cursor.readResponseText()
            return .tagged(tag: tag, status: status, code: code, text: text)
        }
        let first = cursor.readAtom()
        if let status = IMAPStatus(rawValue: first.uppercased()) {
            let (code, text) = cursor.readResponseText()
            return .status(status, code: code, text: text)
        }
        var number: UInt32?
        var keyword = first.uppercased()
        if let n = UInt32(first) {
            number = n
            guard cursor.skip(" ") else { throw malformed(bytes) }
            keyword = cursor.readAtom().uppercased()
        }
        var values: [IMAPValue] = []
        while cursor.skip(" ") {
            guard let value = try cursor.readValue(depth: 0) else { break }
            values.append(value)
        }
        return .data(number: number, keyword: keyword, values: values)
    }

    static func malformed(_ bytes: [UInt8]) -> MailConnectionError {
        MailConnectionError(.protocolViolation, "the server sent a malformed response: \(SMTPReply.sample(bytes))")
    }

    struct Cursor {
        let bytes: [UInt8]
        var i = 0

        mutating func skip(_ s: String) -> Bool {
            let p = Array(s.utf8)
            guard i + p.count <= bytes.count, Array(bytes[i..<(i + p.count)]) == p else { return false }
            i += p.count
            return true
        }

        mutating func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }

        mutating func restAsText() -> String {
            defer { i = bytes.count }
            return textFromBytes(bytes[min(i, bytes.count)...])
        }

        /// Atom characters, with `[...]` sections (which may hold spaces) kept inside the atom.
        mutating func readAtom() -> String {
            let start = i
            var bracket = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "[") { bracket += 1 } else if b == UInt8(ascii: "]") { if bracket == 0 { break }; bracket -= 1 }
                else if bracket == 0 && (b == 0x20 || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: "{")
                    || b == UInt8(ascii: "\"") || b < 0x20 || b == 0x7F) { break }
                i += 1
            }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        /// "[CODE args] text" after a status word (RFC 3501 7.1).
        mutating func readResponseText() -> (String?, String) {
            skipSpaces()
            var code: String?
            if i < bytes.count, bytes[i] == UInt8(ascii: "[") {
                if let close = bytes[i...].firstIndex(of: UInt8(ascii: "]")) {
                    code = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                    i = close + 1
                    skipSpaces()
                }
            }
            return (code, restAsText())
        }

        mutating func readValue(depth: Int) throws -> IMAPValue? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "("):
                guard depth < IMAPResponseParser.maxListDepth else { throw IMAPResponseParser.malformed(bytes) }
                i += 1
                var items: [IMAPValue] = []
                while true {
                    skipSpaces()
                    guard i < bytes.count else { throw IMAPResponseParser.malformed(bytes) }
                    if bytes[i] == UInt8(ascii: ")") { i += 1; return .list(items) }
                    guard let item = try readValue(depth: depth + 1) else { throw IMAPResponseParser.malformed(bytes) }
                    items.append(item)
                }
            case UInt8(ascii: "\""):
                i += 1
                var out: [UInt8] = []
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count { i += 1 }
                    out.append(bytes[i])
                    i += 1
                }
                guard i < bytes.count else { throw IMAPResponseParser.malformed(bytes) }
                i += 1
                return .string(out)
            case UInt8(ascii: "{"):
                // "{N}" or "{N+}" CRLF, then N bytes (the reader put them inline).
                guard let close = bytes[i...].firstIndex(of: UInt8(ascii: "}")),
                      let n = Int(String(decoding: bytes[(i + 1)..<close].filter { $0 != UInt8(ascii: "+") }, as: UTF8.self)),
                      n >= 0, close + 2 < bytes.count, bytes[close + 1] == 0x0D, bytes[close + 2] == 0x0A else {
                    throw IMAPResponseParser.malformed(bytes)
                }
                let start = close + 3
                guard start + n <= bytes.count else { throw IMAPResponseParser.malformed(bytes) }
                i = start + n
                return .string(Array(bytes[start..<(start + n)]))
            default:
                let atom = readAtom()
                if atom.isEmpty { throw IMAPResponseParser.malformed(bytes) }
                return atom.uppercased() == "NIL" ? .nil_ : .atom(atom)
            }
        }
    }
}
