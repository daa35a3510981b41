/// A violation of RFC 6455 or RFC 7692 by the peer. Each maps to the close code
/// the server sends when it fails the connection (RFC 6455 section 7.1.7).
public enum WebSocketProtocolError: Error, Equatable, Sendable {
    /// RSV2 or RSV3 set, or RSV1 without permessage-deflate or on a continuation or control frame.
    case reservedBitsSet
    /// Opcode 3-7 or 11-15.
    case unknownOpcode(UInt8)
    /// A client frame without the mask bit (RFC 6455 section 5.1).
    case unmaskedFrame
    /// A control frame without FIN (RFC 6455 section 5.5).
    case fragmentedControlFrame
    /// A control frame payload over 125 bytes (RFC 6455 section 5.5).
    case controlFrameTooLong
    /// A 64-bit length with the most significant bit set (RFC 6455 section 5.2).
    case invalidLength
    /// A continuation frame with no message in progress (RFC 6455 section 5.4).
    case unexpectedContinuation
    /// A new text or binary frame while a fragmented message is in progress (RFC 6455 section 5.4).
    case expectedContinuation
    /// A close frame with a one-byte payload (RFC 6455 section 5.5.1).
    case truncatedCloseCode
    /// A close code that may not appear on the wire (RFC 6455 section 7.4).
    case invalidCloseCode(UInt16)
    /// A frame larger than `maxFrameBytes`.
    case frameTooBig
    /// A message (after inflation) larger than `maxMessageBytes`.
    case messageTooBig
    /// A text message or close reason that is not UTF-8 (RFC 6455 section 8.1).
    case invalidUTF8
    /// Compressed data zlib could not inflate (RFC 7692 section 7.2.2).
    case invalidCompressedData

    /// The close code sent when failing the connection for this error.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .reservedBitsSet, .unknownOpcode, .unmaskedFrame, .fragmentedControlFrame,
             .controlFrameTooLong, .invalidLength, .unexpectedContinuation,
             .expectedContinuation, .truncatedCloseCode, .invalidCloseCode:
            .protocolError
        case .frameTooBig, .messageTooBig:
            .messageTooBig
        case .invalidUTF8, .invalidCompressedData:
            .invalidPayload
        }
    }

    /// A short, sanitised reason for the close frame and the log.
    public var reason: String {
        switch self {
        case .reservedBitsSet: "reserved bits set"
        case .unknownOpcode(let op): "unknown opcode \(op)"
        case .unmaskedFrame: "client frames must be masked"
        case .fragmentedControlFrame: "fragmented control frame"
        case .controlFrameTooLong: "control frame too long"
        case .invalidLength: "invalid payload length"
        case .unexpectedContinuation: "continuation without a message"
        case .expectedContinuation: "expected a continuation frame"
        case .truncatedCloseCode: "one-byte close payload"
        case .invalidCloseCode(let code): "invalid close code \(code)"
        case .frameTooBig: "frame too big"
        case .messageTooBig: "message too big"
        case .invalidUTF8: "invalid UTF-8"
        case .invalidCompressedData: "invalid compressed data"
        }
    }
}
