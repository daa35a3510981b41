extension WebSocketProtocol {
    /// Initial capacity reserved for a message, whatever length the header announces:
    /// a peer must send the bytes before we hold memory for them.
    private static let maxInitialReserve = 64 * 1024

    /// Checks a new frame header against the message state (RFC 6455 section 5.4, RFC 7692 section 6.1).
    mutating func begin(_ header: WebSocketFrameHeader, into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        if header.rsv2 || header.rsv3 { throw .reservedBitsSet }  // RFC 6455 section 5.2: no extension defines them
        switch header.opcode {
        case .close, .ping, .pong:
            if header.rsv1 { throw .reservedBitsSet }  // RFC 7692 section 6.1: never on control frames
            control.removeAll(keepingCapacity: true)
        case .text, .binary:
            if message != nil { throw .expectedContinuation }  // RFC 6455 section 5.4
            // RFC 7692 section 6.1: RSV1 only when negotiated, on the first frame.
            if header.rsv1 && deflate == nil { throw .reservedBitsSet }
            if header.payloadLength > configuration.maxMessageBytes { throw .messageTooBig }
            var started = MessageInProgress(isText: header.opcode == .text, isCompressed: header.rsv1)
            if !header.rsv1 { started.bytes.reserveCapacity(min(header.payloadLength, Self.maxInitialReserve)) }
            message = started
        case .continuation:
            guard let current = message else { throw .unexpectedContinuation }  // RFC 6455 section 5.4
            if header.rsv1 { throw .reservedBitsSet }  // RFC 7692 section 6.1
            if current.wireBytes + header.payloadLength > configuration.maxMessageBytes { throw .messageTooBig }
        }
        frame = header
        if header.payloadLength == 0 { try endFrame(into: &actions) }
    }

    /// Takes a chunk of the current frame's payload; ends the frame when `isLast`.
    mutating func payload(_ chunk: UnsafeRawBufferPointer, key: UInt32, isLast: Bool,
                          into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        guard let header = frame else { preconditionFailure("payload without a frame header") }
        if header.opcode.isControl {
            WebSocketMask.appendUnmasked(chunk, key: key, to: &control)
        } else {
            try appendToMessage(chunk, key: key)
        }
        if isLast { try endFrame(into: &actions) }
    }

    private mutating func appendToMessage(_ chunk: UnsafeRawBufferPointer, key: UInt32) throws(WebSocketProtocolError) {
        guard var current = message else { preconditionFailure("data payload without a message") }
        message = nil  // keep `bytes` uniquely referenced while we append
        defer { message = current }
        current.wireBytes += chunk.count
        if current.isCompressed {
            compressedChunk.removeAll(keepingCapacity: true)
            WebSocketMask.appendUnmasked(chunk, key: key, to: &compressedChunk)
            let inflater = try activeInflater()
            let limit = configuration.inflatedMessageLimit
            var utf8: UTF8Validator? = current.isText ? current.utf8 : nil
            // Typed errors cannot cross Array's untyped rethrows: carry the error out.
            let failure = compressedChunk.withUnsafeBytes { raw -> WebSocketProtocolError? in
                do throws(WebSocketProtocolError) {
                    try inflater.inflate(raw, into: &current.bytes, limit: limit, utf8: &utf8)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            if let utf8 { current.utf8 = utf8 }
            return
        }
        let start = current.bytes.count
        WebSocketMask.appendUnmasked(chunk, key: key, to: &current.bytes)
        if current.isText {
            // RFC 6455 section 8.1: fail fast, even in the middle of a fragment.
            let valid = current.bytes.withUnsafeBytes { current.utf8.validate(UnsafeRawBufferPointer(rebasing: $0[start...])) }
            if !valid { throw .invalidUTF8 }
        }
    }

    private mutating func activeInflater() throws(WebSocketProtocolError) -> PerMessageDeflate.Inflater {
        if let inflater { return inflater }
        guard deflate != nil, let created = PerMessageDeflate.Inflater() else {
            throw .invalidCompressedData
        }
        inflater = created
        return created
    }

    /// Acts on a complete frame: control frames at once, data frames when FIN ends the message.
    private mutating func endFrame(into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        guard let header = frame else { preconditionFailure("frame end without a header") }
        frame = nil
        switch header.opcode {
        case .ping:
            // RFC 6455 section 5.5.2: answer with a pong carrying the same payload.
            if state == .open { actions.append(.send(WebSocketFrameEncoder.encode(opcode: .pong, payload: control))) }
        case .pong:
            break  // RFC 6455 section 5.5.3: unsolicited pongs need no answer
        case .close:
            try receivedClose(into: &actions)
        case .text, .binary, .continuation:
            if header.fin { try finishMessage(into: &actions) }
        }
    }

    private mutating func finishMessage(into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        guard var current = message else { preconditionFailure("message end without a message") }
        message = nil
        if current.isCompressed {
            let inflater = try activeInflater()
            var utf8: UTF8Validator? = current.isText ? current.utf8 : nil
            try inflater.finishMessage(into: &current.bytes, limit: configuration.inflatedMessageLimit,
                                       reset: deflate?.clientNoContextTakeover ?? false, utf8: &utf8)
            if let utf8 { current.utf8 = utf8 }
        }
        if current.isText && !current.utf8.isComplete { throw .invalidUTF8 }  // RFC 6455 section 8.1
        // RFC 6455 section 5.5.1: after sending close, data from the peer is discarded.
        guard state == .open else { return }
        if current.isText {
            actions.append(.deliverText(String(decoding: current.bytes, as: UTF8.self)))
        } else {
            actions.append(.deliverBinary(current.bytes))
        }
    }
}
