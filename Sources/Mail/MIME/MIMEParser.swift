import Foundation

/// Builds the entity tree of a raw message (RFC 2045, RFC 2046 section 5.1 for multiparts),
/// enforcing `MailLimits` as soon as a size is known.
struct MIMEParser {
    let limits: MailLimits
    private(set) var partCount = 0
    private(set) var defects: [String] = []

    init(limits: MailLimits) { self.limits = limits }

    /// Parses the entity in `range` of `bytes` at nesting `depth`.
    mutating func parseEntity(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, depth: Int, inDigest: Bool = false
    ) throws -> MIMEPart {
        partCount += 1
        guard partCount <= limits.maxParts else { throw MailParseError(.tooManyParts, limit: limits.maxParts) }
        guard depth <= limits.maxDepth else { throw MailParseError(.nestingTooDeep, limit: limits.maxDepth) }
        let head = try HeaderSectionParser(limits: limits).parse(bytes, from: range.lowerBound, to: range.upperBound)
        defects += head.defects
        let headers = head.fields
        var contentType = inDigest
            ? MIMEHeaderValue(value: "message/rfc822") : MIMEHeaderValue.defaultContentType
        if let header = headers["Content-Type"] {
            if let parsed = MIMEHeaderValue.parse(header), parsed.value.contains("/") {
                contentType = parsed
            } else {
                defects.append("an unreadable Content-Type was read as text/plain")
            }
        }
        let encodingHeader = headers["Content-Transfer-Encoding"]
        let encoding = TransferEncoding(header: encodingHeader)
        if encoding == nil { defects.append("unknown Content-Transfer-Encoding \(encodingHeader ?? "")") }
        let disposition = headers["Content-Disposition"].flatMap(MIMEHeaderValue.parse)
        let body = head.bodyStart..<range.upperBound
        var part = MIMEPart(headers: headers, contentType: contentType, disposition: disposition,
                            transferEncoding: encoding, children: [], bodyRange: body)

        if contentType.type == "multipart" {
            guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
                defects.append("a multipart without a usable boundary was read as text")
                return MIMEPart(headers: headers, contentType: .defaultContentType, disposition: disposition,
                                transferEncoding: encoding, children: [], bodyRange: body)
            }
            let ranges = splitMultipart(bytes, body, boundary: Array(boundary.utf8))
            if ranges.isEmpty {
                defects.append("a multipart without any boundary line was read as text")
                return MIMEPart(headers: headers, contentType: .defaultContentType, disposition: disposition,
                                transferEncoding: encoding, children: [], bodyRange: body)
            }
            let digest = contentType.subtype == "digest"
            for childRange in ranges {
                part.children.append(try parseEntity(bytes, childRange, depth: depth + 1, inDigest: digest))
            }
        } else if contentType.value == "message/rfc822" || contentType.value == "message/global",
                  encoding != .base64, encoding != .quotedPrintable, !body.isEmpty {
            part.children.append(try parseEntity(bytes, body, depth: depth + 1))
        }
        return part
    }

    /// The ranges of the body parts between delimiter lines (RFC 2046 5.1.1). The line break
    /// before a delimiter belongs to the delimiter. Preamble and epilogue are dropped. A
    /// missing close delimiter ends the last part at the end of the body, with a defect.
    private mutating func splitMultipart(
        _ bytes: UnsafeBufferPointer<UInt8>, _ body: Range<Int>, boundary: [UInt8]
    ) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var partStart: Int?
        var index = body.lowerBound
        while index < body.upperBound {
            let line = lineEnd(bytes, from: index, to: body.upperBound)
            if let kind = delimiterKind(bytes, index..<line.contentEnd, boundary) {
                if let start = partStart {
                    // The CRLF (or LF) before this delimiter line is not part of the body.
                    var end = index
                    if end > start, bytes[end - 1] == 0x0A { end -= 1 }
                    if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                    parts.append(start..<max(start, end))
                }
                if kind == .close { return parts }
                partStart = line.next
            }
            index = line.next
        }
        if let start = partStart {
            defects.append("a multipart has no closing boundary")
            parts.append(start..<body.upperBound)
        }
        return parts
    }

    private enum Delimiter { case open, close }

    /// Whether `line` is "--boundary" or "--boundary--", followed only by blanks (transport padding).
    private func delimiterKind(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ boundary: [UInt8]) -> Delimiter? {
        let count = boundary.count
        guard line.count >= count + 2, bytes[line.lowerBound] == 0x2D, bytes[line.lowerBound + 1] == 0x2D else { return nil }
        var i = line.lowerBound + 2
        for b in boundary {
            guard bytes[i] == b else { return nil }
            i += 1
        }
        var kind = Delimiter.open
        if i + 1 < line.upperBound, bytes[i] == 0x2D, bytes[i + 1] == 0x2D {
            kind = .close
            i += 2
        }
        while i < line.upperBound {
            guard bytes[i] == 0x20 || bytes[i] == 0x09 else { return nil }
            i += 1
        }
        return kind
    }
}
