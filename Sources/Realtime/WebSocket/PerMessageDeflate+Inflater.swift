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

        /// A raw inflater with zlib's largest window, 15 bits (32 KiB).
        ///
        /// A larger window always decodes a stream compressed with a smaller one, so
        /// this honours any `client_max_window_bits`. A window sized to the peer's would
        /// make errors depend on read chunking: zlib accepts a too-far distance when it
        /// reaches into the output of the current call. 32 KiB per compressing peer is
        /// the price of deterministic failure.
        init?() {
            let bits = Int32(PerMessageDeflate.maxWindowBits)
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

        /// Inflates `input` and appends the output to `output`, passing it through
        /// `utf8` when given (text messages).
        ///
        /// Errors come in stream order, whatever the input chunking: `invalidUTF8` at
        /// the first bad output byte, `messageTooBig` at the first byte past `limit`,
        /// `invalidCompressedData` where zlib rejects the stream.
        func inflate(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], limit: Int,
                     utf8: inout UTF8Validator?) throws(WebSocketProtocolError) {
            guard !ended, let base = input.baseAddress, input.count > 0 else { return }
            var offset = 0
            while offset < input.count && !ended {
                // avail_in is 32-bit: feed huge chunks in slices.
                let slice = min(input.count - offset, 1 << 30)
                stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = UInt32(slice)
                try drain(into: &output, limit: limit, utf8: &utf8)
                offset += slice - Int(stream.pointee.avail_in)
                if stream.pointee.avail_in != 0 && !ended { throw .invalidCompressedData }
            }
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
        }

        /// Ends a message: feeds the stripped 00 00 FF FF tail (RFC 7692 section 7.2.2)
        /// and, when the peer resets its context per message, resets ours.
        func finishMessage(into output: inout [UInt8], limit: Int, reset: Bool,
                           utf8: inout UTF8Validator?) throws(WebSocketProtocolError) {
            // 00 00 FF FF in memory order, on the stack.
            let tail = UInt32(0xFFFF_0000).littleEndian
            try withUnsafeBytes(of: tail) { raw throws(WebSocketProtocolError) in
                try inflate(raw, into: &output, limit: limit, utf8: &utf8)
            }
            if reset || ended {
                // After a final block zlib accepts nothing more: start a fresh stream.
                inflateReset(stream)
                ended = false
            }
        }

        /// Runs inflate until the input is consumed and no output is pending.
        private func drain(into output: inout [UInt8], limit: Int, utf8: inout UTF8Validator?) throws(WebSocketProtocolError) {
            let scratchBase = scratch.baseAddress!.assumingMemoryBound(to: Bytef.self)
            while true {
                stream.pointee.next_out = scratchBase
                stream.pointee.avail_out = UInt32(Self.scratchBytes)
                let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
                let produced = Self.scratchBytes - Int(stream.pointee.avail_out)
                if produced > 0 {
                    let allowed = min(produced, limit - output.count)
                    let piece = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(scratch)[..<allowed])
                    // RFC 6455 section 8.1: fail at the first invalid byte, before the size check.
                    if utf8 != nil && !utf8!.validate(piece) { throw .invalidUTF8 }
                    if produced > allowed { throw .messageTooBig }
                    output.append(contentsOf: piece)
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
