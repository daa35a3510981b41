extension WebSocketProtocol {
    /// Starts a server-initiated close (e.g. `goingAway` on shutdown): sends a close frame
    /// and waits for the peer's (RFC 6455 section 7.1.2). The shell times the wait out.
    /// Does nothing unless the connection is open.
    public mutating func close(code: WebSocketCloseCode = .normalClosure, reason: String = "",
                               into actions: inout [WebSocketAction]) {
        guard state == .open else { return }
        precondition(code.isValidOnWire, "close code \(code) may not be sent")
        actions.append(.send(WebSocketFrameEncoder.encodeClose(code: code, reason: reason)))
        state = .closeSent
    }

    /// Queues a ping (heartbeat) with up to 125 bytes of payload (RFC 6455 section 5.5.2).
    /// Does nothing unless the connection is open.
    public mutating func ping(payload: [UInt8] = [], into actions: inout [WebSocketAction]) {
        guard state == .open else { return }
        precondition(payload.count <= FrameBits.maxControlPayload, "ping payload over 125 bytes")
        actions.append(.send(WebSocketFrameEncoder.encode(opcode: .ping, payload: payload)))
    }

    /// Reports the end of the TCP connection (reset, EOF or close timeout) and marks the
    /// machine closed; emits `closed(abnormalClosure)` unless `closed` was already reported.
    public mutating func connectionLost(into actions: inout [WebSocketAction]) {
        guard state != .closed else { return }
        state = .closed
        actions.append(.closed(code: .abnormalClosure, reason: "connection lost"))
    }

    /// Handles a peer's close frame whose payload is in `control` (RFC 6455 section 5.5.1).
    mutating func receivedClose(into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        var code: WebSocketCloseCode?
        var reason = ""
        if control.count == 1 { throw .truncatedCloseCode }  // RFC 6455 section 5.5.1: code is 2 bytes
        if control.count >= 2 {
            let received = WebSocketCloseCode(rawValue: UInt16(control[0]) << 8 | UInt16(control[1]))
            guard received.isValidOnWire else { throw .invalidCloseCode(received.rawValue) }  // RFC 6455 section 7.4
            let text = control[2...]
            // RFC 6455 section 5.5.1: the reason is UTF-8.
            guard text.withUnsafeBytes({ UTF8Validator.isValid($0) }) else { throw .invalidUTF8 }
            code = received
            reason = String(decoding: text, as: UTF8.self)
        }
        if state == .open {
            // RFC 6455 section 5.5.1: echo the status code (none if the peer sent none).
            actions.append(.send(WebSocketFrameEncoder.encodeClose(code: code)))
        }
        state = .closed
        // RFC 6455 section 7.1.1: the server closes the TCP connection first.
        actions.append(.closeAfterFlush)
        actions.append(.closed(code: code, reason: reason))
    }

    /// Fails the connection (RFC 6455 section 7.1.7): a close frame with the error's code
    /// if we have not sent one yet, then close after the flush.
    mutating func fail(_ error: WebSocketProtocolError, into actions: inout [WebSocketAction]) {
        abort(code: error.closeCode, reason: error.reason, into: &actions)
    }

    /// Ends the connection at once for a reason of the server's own (a memory limit:
    /// 1013 Try Again Later): a close frame with `code` unless one was sent, the message
    /// in progress dropped, input ignored from now on, then close after the flush.
    /// Does nothing once the machine is closed.
    public mutating func abort(code: WebSocketCloseCode, reason: String, into actions: inout [WebSocketAction]) {
        guard state != .closed else { return }
        if state == .open {
            precondition(code.isValidOnWire, "close code \(code) may not be sent")
            actions.append(.send(WebSocketFrameEncoder.encodeClose(code: code, reason: reason)))
        }
        state = .closed
        message = nil
        frame = nil
        actions.append(.closeAfterFlush)
        actions.append(.closed(code: code, reason: reason))
    }
}
