/// An incremental frame parser that streams payloads instead of buffering them.
///
/// Feed it the unconsumed input; it returns one step at a time: a header as soon
/// as all of its bytes are in, then payload chunks (still masked, with the key
/// rotated to the chunk's first byte) until the frame ends. Headers split across
/// reads are kept inside the decoder (at most 13 bytes), so every byte offered is
/// consumed unless a step ends early. Limits are checked as soon as the length is
/// known, before any payload is read.
struct WebSocketFrameDecoder {
    enum Step {
        /// All input was consumed and more is needed.
        case needMore
        /// A complete header. Zero-length frames end here (no payload step follows).
        case header(WebSocketFrameHeader)
        /// Masked payload bytes with the key rotated for them; `isLast` ends the frame.
        case payload(UnsafeRawBufferPointer, key: UInt32, isLast: Bool)
    }

    private enum State {
        /// Reading a header; carries the bytes of it seen so far.
        case header(PartialHeader)
        /// Reading a payload: bytes left, the frame's key and how far into the payload we are.
        case payload(remaining: Int, key: UInt32, offset: Int)
    }

    private var state: State = .header(PartialHeader())
    /// The largest payload accepted in one frame.
    let maxFrameBytes: Int
    /// Whether unmasked frames are a protocol error (true for a server, RFC 6455 section 5.1).
    let requireMask: Bool

    init(maxFrameBytes: Int, requireMask: Bool = true) {
        self.maxFrameBytes = maxFrameBytes
        self.requireMask = requireMask
    }

    /// Decodes the next step from `input`.
    ///
    /// Returns the step and how many bytes of `input` it consumed; throws the
    /// violation as soon as the bytes that reveal it are present.
    mutating func next(_ input: UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> (step: Step, consumed: Int) {
        switch state {
        case .payload(let remaining, let key, let offset):
            let n = min(remaining, input.count)
            let chunk = UnsafeRawBufferPointer(rebasing: input[..<n])
            let rotated = WebSocketMask.rotate(key, by: offset)
            if n == remaining {
                state = .header(PartialHeader())
                return (.payload(chunk, key: rotated, isLast: true), n)
            }
            state = .payload(remaining: remaining - n, key: key, offset: offset + n)
            return (.payload(chunk, key: rotated, isLast: false), n)

        case .header(var partial):
            if partial.count == 0 {
                guard let (header, length) = try parseHeader(input) else {
                    partial.append(input)
                    state = .header(partial)
                    return (.needMore, input.count)
                }
                begin(header)
                return (.header(header), length)
            }
            let previous = partial.count
            let taken = partial.append(input)
            let parsed = try partial.withBytes { bytes throws(WebSocketProtocolError) in try parseHeader(bytes) }
            guard let (header, length) = parsed else {
                state = .header(partial)
                return (.needMore, taken)
            }
            begin(header)
            return (.header(header), length - previous)
        }
    }

    private mutating func begin(_ header: WebSocketFrameHeader) {
        if header.payloadLength == 0 {
            state = .header(PartialHeader())
        } else {
            state = .payload(remaining: header.payloadLength, key: header.maskKey ?? 0, offset: 0)
        }
    }

    /// Parses a header at the start of `bytes`: the header and its length, or nil when incomplete.
    private func parseHeader(_ bytes: UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> (WebSocketFrameHeader, Int)? {
        guard bytes.count >= 2 else { return nil }
        let b0 = bytes[0], b1 = bytes[1]
        guard let opcode = WebSocketOpcode(rawValue: b0 & FrameBits.opcodeMask) else {
            throw .unknownOpcode(b0 & FrameBits.opcodeMask)  // RFC 6455 section 5.2: reserved opcodes
        }
        let fin = b0 & FrameBits.fin != 0
        let masked = b1 & FrameBits.mask != 0
        if requireMask && !masked { throw .unmaskedFrame }  // RFC 6455 section 5.1
        let short = b1 & FrameBits.lengthMask
        if opcode.isControl {
            if !fin { throw .fragmentedControlFrame }  // RFC 6455 section 5.5
            if Int(short) > FrameBits.maxControlPayload { throw .controlFrameTooLong }  // RFC 6455 section 5.5
        }
        var cursor = 2
        let length: UInt64
        // Non-minimal length encodings are accepted: RFC 6455 section 5.2 binds the sender only.
        switch short {
        case FrameBits.length16:
            guard bytes.count >= cursor + 2 else { return nil }
            length = UInt64(bytes[2]) << 8 | UInt64(bytes[3])
            cursor += 2
        case FrameBits.length64:
            guard bytes.count >= cursor + 8 else { return nil }
            var value: UInt64 = 0
            for i in 0..<8 { value = value << 8 | UInt64(bytes[2 + i]) }
            if value & (1 << 63) != 0 { throw .invalidLength }  // RFC 6455 section 5.2: MSB must be 0
            length = value
            cursor += 8
        default:
            length = UInt64(short)
        }
        if length > UInt64(maxFrameBytes) { throw .frameTooBig }
        var key: UInt32?
        if masked {
            guard bytes.count >= cursor + 4 else { return nil }
            key = bytes.loadUnaligned(fromByteOffset: cursor, as: UInt32.self).littleEndian
            cursor += 4
        }
        let header = WebSocketFrameHeader(
            fin: fin, rsv1: b0 & FrameBits.rsv1 != 0, rsv2: b0 & FrameBits.rsv2 != 0,
            rsv3: b0 & FrameBits.rsv3 != 0, opcode: opcode, maskKey: key, payloadLength: Int(length))
        return (header, cursor)
    }
}

/// Up to 14 header bytes kept inline while a header straddles two reads.
struct PartialHeader {
    private var storage: (UInt64, UInt64) = (0, 0)
    private(set) var count = 0

    /// Copies as many bytes of `input` as fit; returns how many were taken.
    @discardableResult
    mutating func append(_ input: UnsafeRawBufferPointer) -> Int {
        let n = min(FrameBits.maxHeaderBytes - count, input.count)
        let start = count
        withUnsafeMutableBytes(of: &storage) { raw in
            for i in 0..<n { raw[start + i] = input[i] }
        }
        count += n
        return n
    }

    /// Calls `body` with the bytes held so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> R) throws(WebSocketProtocolError) -> R {
        var copy = storage
        let n = count
        return try withUnsafeBytes(of: &copy) { raw throws(WebSocketProtocolError) in
            try body(UnsafeRawBufferPointer(rebasing: raw[..<n]))
        }
    }
}
