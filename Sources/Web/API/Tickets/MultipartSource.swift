import Realtime

/// The bytes a multipart body is parsed from: an array in memory, or a request body the
/// server spooled to a file (`HTTPBodyFile`), read in bounded chunks rather than mapped.
protocol MultipartSource {
    var count: Int { get }
    /// The bytes of `range` (the parser asks only for small ranges: headers, delimiters;
    /// callers stream file contents through it in chunks).
    func bytes(_ range: Range<Int>) throws -> [UInt8]
    /// The first index ≥ `start` where `needle` begins, looking at most `limit` bytes past
    /// `start` (nil: to the end).
    func firstIndex(of needle: [UInt8], from start: Int, limit: Int?) throws -> Int?
}

extension MultipartSource {
    /// Whether `needle` is at `position` (false when the body ends before it).
    func has(_ needle: [UInt8], at position: Int) throws -> Bool {
        guard position >= 0, position + needle.count <= count else { return false }
        return try bytes(position..<position + needle.count) == needle
    }
}

/// A body held in memory.
struct MemoryBody: MultipartSource {
    let bytes: [UInt8]

    var count: Int { bytes.count }

    func bytes(_ range: Range<Int>) -> [UInt8] { Array(bytes[range]) }

    func firstIndex(of needle: [UInt8], from start: Int, limit: Int?) -> Int? {
        ByteSearch.firstIndex(of: needle, in: bytes, from: start, limit: limit)
    }
}

/// A spooled request body, searched window by window.
struct FileBody: MultipartSource {
    let file: HTTPBodyFile
    /// Bytes read per search step: large enough that a 10 MB part is 160 reads.
    static let windowBytes = 64 * 1024

    var count: Int { file.count }

    func bytes(_ range: Range<Int>) throws -> [UInt8] { try file.read(range) }

    func firstIndex(of needle: [UInt8], from start: Int, limit: Int?) throws -> Int? {
        guard !needle.isEmpty, start >= 0 else { return nil }
        let end = min(count, limit.map { start + $0 } ?? count)
        var windowStart = start
        while windowStart + needle.count <= end {
            // Windows overlap by needle.count - 1 bytes, so a match across two is still seen.
            let windowEnd = min(end, windowStart + Self.windowBytes + needle.count - 1)
            let window = try file.read(windowStart..<windowEnd)
            if let found = ByteSearch.firstIndex(of: needle, in: window, from: 0) { return windowStart + found }
            windowStart += Self.windowBytes
        }
        return nil
    }
}
