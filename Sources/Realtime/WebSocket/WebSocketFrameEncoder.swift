/// Frame serialisation (RFC 6455 section 5.2): header and payload in one array.
public enum WebSocketFrameEncoder {
    /// The close reason limit: 125 bytes of control payload minus the 2-byte code (RFC 6455 section 5.5).
    static let maxCloseReasonBytes = FrameBits.maxControlPayload - 2

    /// Encodes one frame. Server frames are unmasked (RFC 6455 section 5.1); pass
    /// `maskKey` (four key bytes loaded little-endian) to encode a client frame.
    public static func encode(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer,
                              fin: Bool = true, rsv1: Bool = false, maskKey: UInt32? = nil) -> [UInt8] {
        let length = payload.count
        let lengthBytes = length < Int(FrameBits.length16) ? 0 : (length <= Int(UInt16.max) ? 2 : 8)
        let headerBytes = 2 + lengthBytes + (maskKey == nil ? 0 : 4)
        return [UInt8](unsafeUninitializedCapacity: headerBytes + length) { buffer, initialized in
            var b0 = opcode.rawValue
            if fin { b0 |= FrameBits.fin }
            if rsv1 { b0 |= FrameBits.rsv1 }
            buffer[0] = b0
            let maskBit = maskKey == nil ? 0 : FrameBits.mask
            var cursor = 2
            switch lengthBytes {
            case 0:
                buffer[1] = maskBit | UInt8(length)
            case 2:
                buffer[1] = maskBit | FrameBits.length16
                buffer[2] = UInt8(length >> 8)
                buffer[3] = UInt8(truncatingIfNeeded: length)
                cursor = 4
            default:
                buffer[1] = maskBit | FrameBits.length64
                for i in 0..<8 { buffer[2 + i] = UInt8(truncatingIfNeeded: UInt64(length) >> (56 - 8 * UInt64(i))) }
                cursor = 10
            }
            if let maskKey {
                for i in 0..<4 { buffer[cursor + i] = UInt8(truncatingIfNeeded: maskKey >> (8 * UInt32(i))) }
                cursor += 4
            }
            let body = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[cursor..<(cursor + length)])
            if length > 0 { body.copyMemory(from: payload) }
            if let maskKey { WebSocketMask.apply(maskKey, to: body) }
            initialized = headerBytes + length
        }
    }

    /// Encodes one frame from an array payload.
    public static func encode(opcode: WebSocketOpcode, payload: [UInt8],
                              fin: Bool = true, rsv1: Bool = false, maskKey: UInt32? = nil) -> [UInt8] {
        payload.withUnsafeBytes { encode(opcode: opcode, payload: $0, fin: fin, rsv1: rsv1, maskKey: maskKey) }
    }

    /// Encodes a close frame: empty when `code` is nil, else the code and the reason
    /// cut to 123 bytes on a character boundary (RFC 6455 section 5.5.1).
    public static func encodeClose(code: WebSocketCloseCode?, reason: String = "", maskKey: UInt32? = nil) -> [UInt8] {
        guard let code else { return encode(opcode: .close, payload: [], maskKey: maskKey) }
        var payload: [UInt8] = [UInt8(code.rawValue >> 8), UInt8(truncatingIfNeeded: code.rawValue)]
        var used = 0
        for scalar in reason.unicodeScalars {
            let width = UTF8.width(scalar)
            guard used + width <= maxCloseReasonBytes else { break }
            payload.append(contentsOf: UTF8.encode(scalar)!)
            used += width
        }
        return encode(opcode: .close, payload: payload, maskKey: maskKey)
    }
}
