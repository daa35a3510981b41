/// The header fields that decide a request's framing, gathered while the head is parsed.
struct FramingFields {
    /// The agreed Content-Length, when one was sent.
    var contentLength: Int?
    var transferEncodingSeen = false
    var chunkedCount = 0
    var lastCodingIsChunked = false
    var otherCodingSeen = false
    var hostCount = 0

    /// Records `name: value` if it is Host, Content-Length or Transfer-Encoding.
    mutating func note(_ bytes: UnsafeRawBufferPointer, name: Range<Int>, value: Range<Int>) throws(HTTPParseError) {
        switch name.count {
        case 4 where bytes.equalsLowercased(name, "host"):
            hostCount += 1
        case 14 where bytes.equalsLowercased(name, "content-length"):
            try noteContentLength(bytes, value)
        case 17 where bytes.equalsLowercased(name, "transfer-encoding"):
            noteTransferEncoding(bytes, value)
        default:
            break
        }
    }

    /// RFC 9110 section 8.6: `1*DIGIT`; repeats (as fields or a list) must agree.
    private mutating func noteContentLength(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) throws(HTTPParseError) {
        var start = value.lowerBound
        while true {
            var end = start
            while end < value.upperBound, bytes[end] != HTTPByte.comma { end += 1 }
            let element = bytes.trimmingWhitespace(start..<end)
            guard let length = Self.decimal(bytes, element) else { throw .malformed("invalid Content-Length") }
            if let known = contentLength, known != length { throw .malformed("conflicting Content-Length values") }
            contentLength = length
            if end == value.upperBound { return }
            start = end + 1
        }
    }

    /// RFC 9112 section 6.1: a list of codings; empty list elements are ignored (RFC 9110 section 5.6.1).
    private mutating func noteTransferEncoding(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) {
        transferEncodingSeen = true
        var start = value.lowerBound
        while start <= value.upperBound {
            var end = start
            while end < value.upperBound, bytes[end] != HTTPByte.comma { end += 1 }
            let element = bytes.trimmingWhitespace(start..<end)
            if !element.isEmpty {
                let isChunked = bytes.equalsLowercased(element, "chunked")
                if isChunked { chunkedCount += 1 } else { otherCodingSeen = true }
                lastCodingIsChunked = isChunked
            }
            start = end + 1
        }
    }

    /// A non-negative decimal without sign or spaces, nil on any other byte or overflow.
    static func decimal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        var result = 0
        for i in range {
            let c = bytes[i]
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            let (shifted, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
            if o1 || o2 { return nil }
            result = sum
        }
        return result
    }
}
