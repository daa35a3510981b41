/// Rewrites the portable `?` placeholders of a statement into PostgreSQL's numbered `$1..$n`.
///
/// A `?` inside a string literal (`'...'`, `E'...'` with backslash escapes, `$tag$...$tag$`),
/// a quoted identifier (`"..."`) or a comment (`-- ...`, nested `/* ... */`) is text, not a
/// placeholder, and is copied unchanged. PostgreSQL's own `?` operators (jsonb `?`, `?|`,
/// `?&`) are therefore not expressible in portable SQL, which does not use them.
enum PostgresPlaceholders {
    /// Returns `sql` with each placeholder `?` replaced by `$1`, `$2`, ... in order, and the
    /// number of placeholders found.
    static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var count = 0
        var index = 0
        while index < bytes.count {
            let start = index
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "?"):
                count += 1
                output.append(UInt8(ascii: "$"))
                output.append(contentsOf: String(count).utf8)
                index += 1
                continue
            case UInt8(ascii: "'"):
                // E'...' (not the end of an identifier such as `name'`) takes backslash escapes.
                let escapes = index > 0 && (bytes[index - 1] | 0x20) == UInt8(ascii: "e")
                    && (index < 2 || !isIdentifier(bytes[index - 2]))
                index = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: escapes)
            case UInt8(ascii: "\""):
                index = endOfQuoted(bytes, from: index, quote: byte, backslashEscapes: false)
            case UInt8(ascii: "-") where next(bytes, index) == UInt8(ascii: "-"):
                index = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            case UInt8(ascii: "/") where next(bytes, index) == UInt8(ascii: "*"):
                index = endOfBlockComment(bytes, from: index)
            case UInt8(ascii: "$") where index == 0 || !isIdentifier(bytes[index - 1]):
                index = endOfDollarQuoted(bytes, from: index)
            default:
                index += 1
            }
            // A literal, identifier or comment is copied as it was.
            output.append(contentsOf: bytes[start..<index])
        }
        return (String(decoding: output, as: UTF8.self), count)
    }

    private static func next(_ bytes: [UInt8], _ index: Int) -> UInt8? {
        index + 1 < bytes.count ? bytes[index + 1] : nil
    }

    private static func isIdentifier(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7a)
            || byte >= 0x80
    }

    /// The index just past the closing quote; a doubled quote is an escaped quote.
    private static func endOfQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < bytes.count {
            if backslashEscapes && bytes[index] == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if bytes[index] == quote {
                if next(bytes, index) == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return bytes.count
    }

    /// The index just past the matching `*/` (PostgreSQL's block comments nest).
    private static func endOfBlockComment(_ bytes: [UInt8], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "/") && next(bytes, index) == UInt8(ascii: "*") {
                depth += 1; index += 2
            } else if bytes[index] == UInt8(ascii: "*") && next(bytes, index) == UInt8(ascii: "/") {
                depth -= 1; index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return bytes.count
    }

    /// For `$tag$ ... $tag$` (tag empty or an identifier not starting with a digit), the index
    /// past the closing tag; for anything else (`$1`, a lone `$`), the index after the `$`.
    private static func endOfDollarQuoted(_ bytes: [UInt8], from start: Int) -> Int {
        var tagEnd = start + 1
        while tagEnd < bytes.count, isIdentifier(bytes[tagEnd]) {
            if tagEnd == start + 1 && bytes[tagEnd] >= 0x30 && bytes[tagEnd] <= 0x39 { return start + 1 }
            tagEnd += 1
        }
        guard tagEnd < bytes.count, bytes[tagEnd] == UInt8(ascii: "$") else { return start + 1 }
        let tag = Array(bytes[start...tagEnd])
        var index = tagEnd + 1
        while index + tag.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "$") && Array(bytes[index..<(index + tag.count)]) == tag {
                return index + tag.count
            }
            index += 1
        }
        return bytes.count
    }
}
