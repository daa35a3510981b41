import CZlib

extension PerMessageDeflate {
    /// Raw-deflate decompression for one connection (RFC 7692 section 7.2.2).
    ///
    /// Created on the first compressed message and freed with the connection.
    /// The output limit is enforced while inflating, so a small zip bomb fails with
    /// `messageTooBig` after at most one scratch buffer past the limit is produced.
    final class Inflater {
        /// Output is produced through this much scratch memory at a time.
        private static let scratchBytes = 16 * 1024
        private let stream: UnsafeMutablePointer<z_stream>
        private let scratch: UnsafeMutableRawBufferPointer
        /// zlib reported the end of a final block; the rest of this message's data is ignored.
        private var ended = false

        /// A raw inflater for a peer window of `windowBits` (8...15). nil if zlib refuses.
        ///
        /// Windows under 9 are widened to 9: a zlib-based peer asked for 8 compresses with 9.
        init?(windowBits: Int) {
            let bits = Int32(max(windowBits, 9))
            stream = .allocate(capacity: 1)
            stream.initialize(to: z_stream())
            guard inflateInit2_(stream, -bits, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                return nil
            }
            scratch = .allocate(byteCount: Self.scratchBytes, alignment: 8)
        }

        deinit {
            inflateEnd(stream)
            stream.deallocate()
            scratch.deallocate()
        }

        /// Inflates `input` and appends the output to `output`.
        ///
        /// Throws `messageTooBig` as soon as `output` would exceed `limit` bytes and
        /// `invalidCompressedData` when zlib rejects the stream.
        func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int) throws(WebSocketProtocolError) {
            guard !ended, let base = input.baseAddress, input.count > 0 else { return }
            var offset = 0
            while offset < input.count && !ended {
                // avail_in is 32-bit: feed huge chunks in slices.
                let slice = min(input.count - offset, 1 << 30)
                stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = UInt32(slice)
                try drain(into: &output, limit: limit)
                offset += slice - Int(stream.pointee.avail_in)
                if stream.pointee.avail_in != 0 && !ended { throw .invalidCompressedData }
            }
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }

        /// Ends a message: feeds the stripped 00 00 FF FF tail (RFC 7692 section 7.2.2)
        /// and, when the peer resets its context per message, resets ours.
        func finishMessage(into output: inout [UInt8], limit: Int, reset: Bool) throws(WebSocketProtocolError) {
            // 00 00 FF FF in memory order, on the stack.
            let tail = UInt32(0xFFFF_0000).littleEndian
            try withUnsafeBytes(of: tail) { raw throws(WebSocketProtocolError) in
                try inflate(raw, into: &output, limit: limit)
            }
            if reset || ended {
                // After a final block zlib accepts nothing more: start a fresh stream.
                inflateReset(stream)
                ended = false
            }
        }

        /// Runs inflate until the input is consumed and no output is pending.
        private func drain(into output: inout [UInt8], limit: Int) throws(WebSocketProtocolError) {
            let scratchBase = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
            while true {
                stream.pointee.next_out = scratchBase
                stream.pointee.avail_out = UInt32(Self.scratchBytes)
                let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                let produced = Self.scratchBytes - Int(stream.pointee.avail_out)
                if produced > 0 {
                    if output.count + produced > limit { throw .messageTooBig }
                    output.append(contentsOf: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[..<produced]))
                }
                switch status {
                case Z_OK:
                    if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 { return }
                case Z_BUF_ERROR:
                    return  // no progress possible: all input used and nothing pending
                case Z_STREAM_END:
                    ended = true
                    return
                default:
                    throw .invalidCompressedData
                }
            }
        }
    }
}
