import Foundation

/// One part of a `multipart/form-data` body (RFC 7578): its form field name, the file
/// name when it is a file, its content type and the range of its content in the body.
struct MultipartPart: Equatable {
    let name: String
    /// Set for file parts (`filename*` preferred over `filename`, RFC 7578 section 4.2).
    let fileName: String?
    /// When the part does not say: `text/plain` for fields (RFC 7578 section 4.4), else
    /// `application/octet-stream`.
    let contentType: String
    let content: Range<Int>
}

/// Why a multipart body was refused; each case maps to one HTTP answer in `problem`.
enum MultipartError: Error, Equatable {
    case missingBoundary
    case invalidBoundary
    case missingFirstBoundary
    case missingCloseDelimiter
    case malformedPartHeaders
    case missingContentDisposition
    case missingName
    case tooManyParts(limit: Int)
    case partHeadersTooLarge(limit: Int)
    case fieldTooLarge(name: String, limit: Int)

    /// The readable reason, safe to send to the client.
    var detail: String {
        switch self {
        case .missingBoundary: "The Content-Type has no boundary parameter."
        case .invalidBoundary: "The boundary must be 1 to 70 characters (RFC 2046 section 5.1.1)."
        case .missingFirstBoundary: "The body does not start with the boundary."
        case .missingCloseDelimiter: "The body ends before the closing boundary."
        case .malformedPartHeaders: "A part's header section is malformed."
        case .missingContentDisposition: "Every part needs Content-Disposition: form-data."
        case .missingName: "Every part needs a name."
        case .tooManyParts(let limit): "Send at most \(limit) parts."
        case .partHeadersTooLarge(let limit): "A part's headers are larger than \(limit) bytes."
        case .fieldTooLarge(let name, let limit): "The field \(name) is larger than \(limit) bytes."
        }
    }
}

/// Limits for one multipart body, checked as soon as a length is known.
struct MultipartLimits {
    /// Replies carry a few files and fields; more is abuse.
    var maxParts = 32
    /// Part headers are two or three short lines.
    var maxHeaderBytes = 8 * 1024
    /// Text fields hold a message body (100,000 characters, up to 4 bytes each).
    var maxFieldBytes = 400 * 1024
}

/// A bounded parser over a complete `multipart/form-data` body.
enum MultipartFormData {
    /// The boundary from a `multipart/form-data; boundary=...` content type, or nil when the
    /// type is not multipart/form-data. Throws when the boundary is missing or invalid.
    static func boundary(contentType: String) throws -> String? {
        let (type, parameters) = HeaderParameters.parse(contentType)
        guard type == "multipart/form-data" else { return nil }
        guard let boundary = parameters["boundary"] else { throw MultipartError.missingBoundary }
        // RFC 2046 section 5.1.1: 1 to 70 characters, not ending in a space.
        guard (1...70).contains(boundary.utf8.count), !boundary.hasSuffix(" "),
              boundary.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) else {
            throw MultipartError.invalidBoundary
        }
        return boundary
    }

    /// The parts of `body`. Text parts (no file name) are limited to `limits.maxFieldBytes`;
    /// file part sizes are the caller's to check. Throws `MultipartError` for a malformed body.
    static func parse(_ body: [UInt8], boundary: String, limits: MultipartLimits = MultipartLimits()) throws -> [MultipartPart] {
        try parse(MemoryBody(bytes: body), boundary: boundary, limits: limits)
    }

    /// The parts of a body read through `source` (memory, or a spooled file read in
    /// chunks, so a 50 MB upload is never in memory). Parts are ranges into the source.
    static func parse(_ body: some MultipartSource, boundary: String, limits: MultipartLimits = MultipartLimits()) throws -> [MultipartPart] {
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // RFC 2046 section 5.1.1: an optional preamble, then the first dash-boundary.
        let first: Int
        if try body.has(dashBoundary, at: 0) {
            first = 0
        } else if let found = try body.firstIndex(of: delimiter, from: 0, limit: nil) {
            first = found + 2
        } else {
            throw MultipartError.missingFirstBoundary
        }
        var parts: [MultipartPart] = []
        var position = first + dashBoundary.count
        while true {
            // After a delimiter: "--" closes the body; otherwise optional whitespace then CRLF.
            if try body.has([UInt8(ascii: "-"), UInt8(ascii: "-")], at: position) { return parts }
            while try body.has([UInt8(ascii: " ")], at: position) || body.has([UInt8(ascii: "\t")], at: position) { position += 1 }
            guard try body.has(crlf, at: position) else { throw MultipartError.missingCloseDelimiter }
            position += 2
            guard parts.count < limits.maxParts else { throw MultipartError.tooManyParts(limit: limits.maxParts) }
            // A part without any header line cannot name its field (RFC 7578 section 4.2).
            guard try !body.has(crlf, at: position) else { throw MultipartError.missingContentDisposition }
            guard let headerEnd = try body.firstIndex(of: crlf + crlf, from: position, limit: limits.maxHeaderBytes + 4) else {
                throw body.count - position > limits.maxHeaderBytes
                    ? MultipartError.partHeadersTooLarge(limit: limits.maxHeaderBytes) : MultipartError.malformedPartHeaders
            }
            let contentStart = headerEnd + 4
            guard let end = try body.firstIndex(of: delimiter, from: contentStart, limit: nil) else {
                throw MultipartError.missingCloseDelimiter
            }
            let part = try self.part(try body.bytes(position..<headerEnd)[...], content: contentStart..<end)
            if part.fileName == nil, part.content.count > limits.maxFieldBytes {
                throw MultipartError.fieldTooLarge(name: part.name, limit: limits.maxFieldBytes)
            }
            parts.append(part)
            position = end + delimiter.count
            guard position < body.count else { throw MultipartError.missingCloseDelimiter }
        }
    }

    private static let crlf: [UInt8] = [13, 10]

    /// A part from its header block: Content-Disposition (required) and Content-Type.
    private static func part(_ headerBytes: ArraySlice<UInt8>, content: Range<Int>) throws -> MultipartPart {
        guard let text = String(validating: headerBytes, as: UTF8.self) else { throw MultipartError.malformedPartHeaders }
        var disposition: (String, [String: String])?
        var contentType: String?
        for line in text.split(separator: "\r\n", omittingEmptySubsequences: false) where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else { throw MultipartError.malformedPartHeaders }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-disposition": disposition = HeaderParameters.parse(value)
            case "content-type": contentType = value
            default: continue  // RFC 7578 section 4.8: other headers are ignored.
            }
        }
        guard let (kind, parameters) = disposition, kind == "form-data" else { throw MultipartError.missingContentDisposition }
        guard let name = parameters["name"] else { throw MultipartError.missingName }
        let fileName = parameters["filename*"].flatMap(HeaderParameters.decodeExtended) ?? parameters["filename"]
        let defaultType = fileName == nil ? "text/plain" : "application/octet-stream"
        return MultipartPart(name: name, fileName: fileName, contentType: contentType ?? defaultType, content: content)
    }
}

/// Byte-string search over a buffer.
enum ByteSearch {
    /// The first index ≥ `start` where `needle` begins, looking at most `limit` bytes past
    /// `start` (nil: to the end).
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int, limit: Int? = nil) -> Int? {
        guard let first = needle.first, start >= 0 else { return nil }
        let end = min(haystack.count, limit.map { start + $0 } ?? haystack.count) - needle.count
        guard start <= end else { return nil }
        return haystack.withUnsafeBufferPointer { buffer -> Int? in
            var index = start
            while index <= end {
                if buffer[index] == first, needle.indices.allSatisfy({ buffer[index + $0] == needle[$0] }) { return index }
                index += 1
            }
            return nil
        }
    }
}
