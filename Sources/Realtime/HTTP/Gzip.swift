import CZlib

/// gzip compression through zlib, and the negotiation rules around it.
public enum Gzip {
    /// Bodies smaller than this are sent as they are: gzip would save little or grow them.
    public static let minimumCompressibleBytes = 1024
    /// zlib window bits plus 16: write and read a gzip wrapper rather than zlib's (zlib.h).
    private static let gzipWindowBits: Int32 = 15 + 16
    /// zlib's default memory level.
    private static let memoryLevel: Int32 = 8
    private static let inflateStep = 64 * 1024

    /// Decompression failed or exceeded its limit.
    public enum DecompressError: Error, Equatable, Sendable {
        case corrupt
        case tooLarge
    }

    /// The gzip member of `bytes` at `level` (0...9; 6 is zlib's speed/size balance).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(&stream, level, Z_DEFLATED, gzipWindowBits, memoryLevel, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(&stream) }
        // deflateBound covers the zlib wrapper; gzip's header and trailer are 12 bytes more.
        let bound = Int(deflateBound(&stream, uLong(bytes.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate with a bound-sized buffer did not finish: \(result)")
                return outBuffer.count - Int(stream.avail_out)
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    /// The bytes inside gzip data; throws `tooLarge` past `limit` bytes, `corrupt` on bad data.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(DecompressError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, gzipWindowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .corrupt
        }
        defer { inflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: inflateStep)
        let outcome: DecompressError? = input.withUnsafeMutableBufferPointer { inBuffer in
            stream.next_in = inBuffer.baseAddress
            stream.avail_in = uInt(inBuffer.count)
            while true {
                let (result, produced) = chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress
                    stream.avail_out = uInt(outBuffer.count)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    return (result, outBuffer.count - Int(stream.avail_out))
                }
                if output.count + produced > limit { return .tooLarge }
                output.append(contentsOf: chunk[..<produced])
                if result == Z_STREAM_END { return nil }
                if result != Z_OK || (produced == 0 && stream.avail_in == 0) { return .corrupt }
            }
        }
        if let outcome { throw outcome }
        return output
    }
}
