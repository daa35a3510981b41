/// The fixed part of a frame (RFC 6455 section 5.2), as decoded.
public struct WebSocketFrameHeader: Sendable, Equatable {
    public var fin: Bool
    public var rsv1: Bool
    public var rsv2: Bool
    public var rsv3: Bool
    public var opcode: WebSocketOpcode
    /// The masking key loaded little-endian, or nil for an unmasked frame.
    public var maskKey: UInt32?
    public var payloadLength: Int

    public init(fin: Bool, rsv1: Bool = false, rsv2: Bool = false, rsv3: Bool = false,
                opcode: WebSocketOpcode, maskKey: UInt32? = nil, payloadLength: Int) {
        self.fin = fin
        self.rsv1 = rsv1
        self.rsv2 = rsv2
        self.rsv3 = rsv3
        self.opcode = opcode
        self.maskKey = maskKey
        self.payloadLength = payloadLength
    }
}

/// Wire constants of the frame header (RFC 6455 section 5.2).
enum FrameBits {
    static let fin: UInt8 = 0x80
    static let rsv1: UInt8 = 0x40
    static let rsv2: UInt8 = 0x20
    static let rsv3: UInt8 = 0x10
    static let opcodeMask: UInt8 = 0x0F
    static let mask: UInt8 = 0x80
    static let lengthMask: UInt8 = 0x7F
    /// 7-bit length values meaning "a 16-bit length follows" and "a 64-bit length follows".
    static let length16: UInt8 = 126
    static let length64: UInt8 = 127
    /// The longest control frame payload (RFC 6455 section 5.5).
    static let maxControlPayload = 125
    /// The longest header: 2 + 8 (length) + 4 (mask).
    static let maxHeaderBytes = 14
}
