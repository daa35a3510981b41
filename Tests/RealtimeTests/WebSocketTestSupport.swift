@testable import Realtime

/// The RFC 6455 section 5.7 masking key 37 fa 21 3d, loaded little-endian.
let rfcMaskKey: UInt32 = 0x3d21_fa37

/// A masked client frame.
func clientFrame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv1: Bool = false) -> [UInt8] {
    WebSocketFrameEncoder.encode(opcode: opcode, payload: payload, fin: fin, rsv1: rsv1, maskKey: rfcMaskKey)
}

/// Feeds `input` to a fresh protocol in chunks of `chunkSize` bytes (all at once when nil).
func feed(_ input: [UInt8], chunkSize: Int? = nil, deflate: NegotiatedDeflate? = nil,
          configuration: WebSocketConfiguration = WebSocketConfiguration()) -> [WebSocketAction] {
    var machine = WebSocketProtocol(configuration: configuration, deflate: deflate)
    var actions: [WebSocketAction] = []
    let size = max(chunkSize ?? input.count, 1)
    var offset = 0
    while offset < input.count {
        let end = min(offset + size, input.count)
        let consumed = input[offset..<end].withUnsafeBytes { machine.receive($0, into: &actions) }
        precondition(consumed == end - offset)
        offset = end
    }
    return actions
}

/// Feeds `input` whole and byte by byte; returns the actions when both agree, else nil.
func feedEverywhere(_ input: [UInt8], deflate: NegotiatedDeflate? = nil,
                    configuration: WebSocketConfiguration = WebSocketConfiguration()) -> [WebSocketAction]? {
    let whole = feed(input, deflate: deflate, configuration: configuration)
    let bytewise = feed(input, chunkSize: 1, deflate: deflate, configuration: configuration)
    let threes = feed(input, chunkSize: 3, deflate: deflate, configuration: configuration)
    return whole == bytewise && whole == threes ? whole : nil
}

/// The actions that fail a connection with `code` (RFC 6455 section 7.1.7).
func failure(_ error: WebSocketProtocolError) -> [WebSocketAction] {
    [.send(WebSocketFrameEncoder.encodeClose(code: error.closeCode, reason: error.reason)),
     .closeAfterFlush, .closed(code: error.closeCode, reason: error.reason)]
}
