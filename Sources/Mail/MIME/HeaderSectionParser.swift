import Foundation

/// Reads one entity's header section (RFC 5322 section 2.2) from `bytes` starting at `start`.
/// Lines may end in CRLF or a bare LF (mail that passed through Unix tools). The section ends
/// at the first empty line; a line that is neither a field nor a continuation also ends it,
/// with a defect, and becomes the first line of the body so no text is lost.
struct HeaderSectionParser {
    let limits: MailLimits

    struct Result {
        var fields: HeaderFields
        /// Index of the first body byte (after the empty line), or `bytes.count`.
        var bodyStart: Int
        var defects: [String]
    }

    /// Parses the header section; throws when a header limit is passed.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) throws -> Result {
        var fields = HeaderFields()
        var defects: [String] = []
        var index = start
        var current: [UInt8] = []  // the field being unfolded
        var haveCurrent = false

        func flush() throws {
            guard haveCurrent else { return }
            haveCurrent = false
            guard fields.fields.count < limits.maxHeaderFields else {
                throw MailParseError(.tooManyHeaderFields, limit: limits.maxHeaderFields)
            }
            guard let colon = current.firstIndex(of: UInt8(ascii: ":")) else { return }
            let name = String(decoding: current[..<colon], as: UTF8.self).trimmingTrailingBlanks()
            let value = textFromBytes(current[(colon + 1)...]).trimmingBlanks()
            fields.append(HeaderField(name: name, value: value))
        }

        // An mbox "From " separator line before the first field is not a header (RFC 4155).
        if end - index >= 5, bytes[index] == 0x46, bytes[index + 1] == 0x72, bytes[index + 2] == 0x6F,
           bytes[index + 3] == 0x6D, bytes[index + 4] == 0x20 {
            index = lineEnd(bytes, from: index, to: end).next
        }
        while index < end {
            if index - start > limits.maxHeaderSectionBytes {
                throw MailParseError(.headerSectionTooLarge, limit: limits.maxHeaderSectionBytes)
            }
            let line = lineEnd(bytes, from: index, to: end)
            let content = index..<line.contentEnd
            if content.isEmpty {  // the empty line: the body follows
                try flush()
                return Result(fields: fields, bodyStart: line.next, defects: defects)
            }
            let first = bytes[index]
            if first == 0x20 || first == 0x09 {
                if haveCurrent {  // RFC 5322 2.2.3: unfolding removes the CRLF, keeps the blank
                    guard current.count + content.count <= limits.maxHeaderFieldBytes else {
                        throw MailParseError(.headerFieldTooLong, limit: limits.maxHeaderFieldBytes)
                    }
                    current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[content]))
                } else {
                    defects.append("a continuation line before any header field was ignored")
                }
                index = line.next
                continue
            }
            guard isFieldLine(bytes, content) else {
                try flush()
                defects.append("a line that is not a header field ended the header section")
                return Result(fields: fields, bodyStart: index, defects: defects)
            }
            try flush()
            guard content.count <= limits.maxHeaderFieldBytes else {
                throw MailParseError(.headerFieldTooLong, limit: limits.maxHeaderFieldBytes)
            }
            current.removeAll(keepingCapacity: true)
            current.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[content]))
            haveCurrent = true
            index = line.next
        }
        try flush()
        return Result(fields: fields, bodyStart: end, defects: defects)
    }

    /// RFC 5322 3.6.8: a field name is printable US-ASCII except colon, then a colon. A blank
    /// before the colon is tolerated (obsolete syntax, RFC 5322 4.5).
    private func isFieldLine(_ bytes: UnsafeBufferPointer<UInt8>, _ content: Range<Int>) -> Bool {
        var sawName = false
        var sawBlank = false
        for i in content {
            let b = bytes[i]
            if b == UInt8(ascii: ":") { return sawName }
            if b == 0x20 || b == 0x09 { sawBlank = true; continue }
            if b < 33 || b > 126 || sawBlank { return false }
            sawName = true
        }
        return false
    }
}

/// The end of the line starting at `from`: where its content stops (before CR LF or LF) and
/// where the next line begins.
@inline(__always)
func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to end: Int) -> (contentEnd: Int, next: Int) {
    var i = from
    while i < end {
        if bytes[i] == 0x0A {
            let contentEnd = i > from && bytes[i - 1] == 0x0D ? i - 1 : i
            return (contentEnd, i + 1)
        }
        i += 1
    }
    return (end, end)
}

extension String {
    func trimmingBlanks() -> String { self[...].trimmingBlanks() }
    func trimmingTrailingBlanks() -> String { self[...].trimmingTrailingBlanks() }
}

extension Substring {
    /// Without leading and trailing blanks (space, tab, CR, LF). Works on the UTF-8 view:
    /// blanks are ASCII, so the cut points are always character boundaries.
    func trimmingBlanks() -> String {
        let bytes = utf8
        guard let first = bytes.firstIndex(where: { !isBlankByte($0) }) else { return "" }
        let last = bytes.lastIndex(where: { !isBlankByte($0) })!
        return String(self[first...last])
    }

    /// Without trailing blanks.
    func trimmingTrailingBlanks() -> String {
        let bytes = utf8
        guard let last = bytes.lastIndex(where: { !isBlankByte($0) }) else { return "" }
        return String(self[...last])
    }
}

@inline(__always) private func isBlankByte(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }
