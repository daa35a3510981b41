/// The RFC 6455 / RFC 7692 state machine of one server-side connection: pure, no I/O.
///
/// Buffering contract: pass every received byte, in order, to `receive`; it returns how
/// many it consumed. While the connection is open or closing that is always all of
/// them (partial headers and payloads are kept inside), so the shell keeps no input
/// buffer. Once `state == .closed` the remaining input is reported consumed and ignored.
/// The shell then performs the returned actions in order.
///
/// Not thread-safe, and not to be copied mid-stream: the inflater is a reference.
public struct WebSocketProtocol {
    public let configuration: WebSocketConfiguration
    public let deflate: NegotiatedDeflate?
    public internal(set) var state: WebSocketState = .open

    var decoder: WebSocketFrameDecoder
    /// The header of the frame whose payload is being read.
    var frame: WebSocketFrameHeader?
    /// The data message in progress, if any.
    var message: MessageInProgress?
    /// The payload of the control frame being read (at most 125 bytes).
    var control: [UInt8] = []
    /// Unmasked compressed bytes of the current chunk, reused between chunks.
    var compressedChunk: [UInt8] = []
    var inflater: PerMessageDeflate.Inflater?

    struct MessageInProgress {
        var isText: Bool
        var isCompressed: Bool
        var bytes: [UInt8] = []
        /// Bytes received on the wire for this message (compressed size when compressed).
        var wireBytes = 0
        var utf8 = UTF8Validator()
    }

    /// A connection in the open state, after a successful handshake.
    public init(configuration: WebSocketConfiguration = WebSocketConfiguration(), deflate: NegotiatedDeflate?) {
        self.configuration = configuration
        self.deflate = deflate
        self.decoder = WebSocketFrameDecoder(maxFrameBytes: configuration.maxFrameBytes)
    }

    /// True once we sent or received a close frame, or the connection failed.
    public var isClosing: Bool { state != .open }

    /// Bytes of the data message being received (inflated when compressed), held until
    /// the message ends: what the shell counts against its memory limits.
    public var bufferedMessageBytes: Int { message?.bytes.count ?? 0 }

    /// Processes received bytes and appends the resulting actions to `actions`.
    ///
    /// Returns the number of bytes consumed: all of `input` (see the type's contract).
    /// Protocol violations become a close frame with the right code, `closeAfterFlush`
    /// and `closed` (RFC 6455 section 7.1.7).
    public mutating func receive(_ input: UnsafeRawBufferPointer, into actions: inout [WebSocketAction]) -> Int {
        var offset = 0
        while offset < input.count && state != .closed {
            let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
            do throws(WebSocketProtocolError) {
                let (step, consumed) = try decoder.next(rest)
                offset += consumed
                switch step {
                case .needMore:
                    break
                case .header(let header):
                    try begin(header, into: &actions)
                case .payload(let chunk, let key, let isLast):
                    try payload(chunk, key: key, isLast: isLast, into: &actions)
                }
            } catch {
                fail(error, into: &actions)
            }
        }
        return input.count
    }

    /// Encodes a text message for this connection (compressed when negotiated and worthwhile).
    public func encodeText(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { encodeData(.text, UnsafeRawBufferPointer($0)) }
    }

    /// Encodes a binary message for this connection (compressed when negotiated and worthwhile).
    public func encodeBinary(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { encodeData(.binary, $0) }
    }

    private func encodeData(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer) -> [UInt8] {
        guard let deflate, payload.count >= configuration.compressionMinimumBytes else {
            return WebSocketFrameEncoder.encode(opcode: opcode, payload: payload)
        }
        let compressed = PerMessageDeflate.compress(payload, windowBits: deflate.serverMaxWindowBits)
        // RFC 7692 section 6.1: RSV1 marks the first frame of a compressed message.
        return WebSocketFrameEncoder.encode(opcode: opcode, payload: compressed, rsv1: true)
    }
}
