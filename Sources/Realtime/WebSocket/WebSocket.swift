/// A server-side WebSocket connection as the application sees it. Methods may be called
/// from any thread; they run on the socket's event loop.
public final class WebSocket: @unchecked Sendable {
    /// Unique for the life of the server process.
    public let id: UInt64
    /// The request path the socket was opened on, and its route parameters.
    public let path: String
    public let parameters: [String: String]
    /// Whatever the application attached when accepting (who the user is, for example).
    public let userInfo: (any Sendable)?
    /// The event loop this socket lives on.
    public var loop: EventLoop { connection.loop }
    /// The peer's IP address (the proxy's, behind a reverse proxy).
    public var remoteAddress: String { connection.remoteAddress }

    let connection: Connection
    let handler: any WebSocketHandler
    var proto: WebSocketProtocol
    /// Room name -> this socket's index in that room's member list (for O(1) leave).
    var memberships: [String: Int] = [:]
    private var actions: [WebSocketAction] = []
    private var lastPingAt: Instant
    private var closeStartedAt: Instant?
    private var notifiedClose = false
    /// Bytes of the message in progress counted in the loop's `heldBytes`.
    private var heldInbound = 0
    /// Counted in the server's per-address limit (released when the socket closes).
    var countedForAddress = false

    init(connection: Connection, request: HTTPRequest, handler: any WebSocketHandler, userInfo: (any Sendable)?, proto: WebSocketProtocol) {
        self.connection = connection
        id = connection.id
        path = request.path
        parameters = request.parameters
        self.handler = handler
        self.userInfo = userInfo
        self.proto = proto
        frameClass = proto.deflate?.serverMaxWindowBits ?? 0
        lastPingAt = connection.loop.now
    }

    /// Sockets of the same class get byte-identical frames for the same message:
    /// 0 without permessage-deflate, else the server's negotiated window bits.
    let frameClass: Int

    // MARK: Application API

    /// Sends a text message.
    @discardableResult
    public func send(text: String) -> SendOutcome {
        if loop.inLoop { return sendOnLoop(proto.encodeText(text)) }
        loop.execute { [self] in _ = sendOnLoop(proto.encodeText(text)) }
        return .queued
    }

    /// Sends a binary message.
    @discardableResult
    public func send(binary: [UInt8]) -> SendOutcome {
        if loop.inLoop { return sendOnLoop(proto.encodeBinary(binary)) }
        loop.execute { [self] in _ = sendOnLoop(proto.encodeBinary(binary)) }
        return .queued
    }

    /// Starts the close handshake with `code` (RFC 6455 section 7.1.2).
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        loop.runOnLoop { [self] in
            guard !connection.isClosed else { return }
            closeStartedAt = closeStartedAt ?? loop.now
            proto.close(code: code, reason: reason, into: &actions)
            perform()
        }
    }

    /// Adds this socket to `room` (idempotent).
    public func join(_ room: String) {
        loop.runOnLoop { [self] in connection.context.rooms.join(self, room: room, server: connection.context.server) }
    }

    /// Removes this socket from `room`.
    public func leave(_ room: String) {
        loop.runOnLoop { [self] in connection.context.rooms.leave(self, room: room, server: connection.context.server) }
    }

    func sendOnLoop(_ frame: [UInt8]) -> SendOutcome {
        loop.assertInLoop()
        guard !proto.isClosing else { return .dropped }
        return connection.enqueue(frame) ? .queued : .dropped
    }

    // MARK: Connection side

    /// Feeds received bytes to the protocol and carries out what it asks; returns bytes used.
    func receive(_ input: UnsafeRawBufferPointer) -> Int {
        let used = proto.receive(input, into: &actions)
        accountInbound()
        perform()
        return used
    }

    /// Counts the message in progress in the loop's held bytes; past the loop's share of
    /// `maxHeldBytesTotal`, the connection is failed with 1013 Try Again Later.
    private func accountInbound() {
        // Once closed, a message left unfinished is no longer counted (its bytes go with the socket).
        let held = notifiedClose ? 0 : proto.bufferedMessageBytes
        guard held != heldInbound else { return }
        let context = connection.context
        context.heldBytes += held - heldInbound
        heldInbound = held
        guard held > 0, context.heldBytes > context.maxHeldBytes else { return }
        context.server.metrics.closedOverMemoryLimit()
        context.server.log("closing \(connection.remoteAddress) with a \(held)-byte message in progress: the loop holds \(context.heldBytes) bytes")
        proto.abort(code: .tryAgainLater, reason: "server busy", into: &actions)
        context.heldBytes -= heldInbound
        heldInbound = 0
    }

    private func perform() {
        guard !actions.isEmpty else { return }
        let batch = actions
        actions.removeAll(keepingCapacity: true)
        for action in batch {
            switch action {
            case .deliverText(let text):
                connection.context.server.metrics.messageReceived()
                handler.webSocket(self, didReceiveText: text)
            case .deliverBinary(let bytes):
                connection.context.server.metrics.messageReceived()
                handler.webSocket(self, didReceiveBinary: bytes)
            case .send(let bytes):
                connection.enqueue(bytes)
            case .closeAfterFlush:
                closeStartedAt = closeStartedAt ?? loop.now
                connection.closeAfterFlush = true
                connection.pauseReading()
                connection.scheduleFlush()
            case .closed(let code, let reason):
                notifyClosed(code: code, reason: reason)
            }
        }
    }

    private func notifyClosed(code: WebSocketCloseCode?, reason: String) {
        guard !notifiedClose else { return }
        notifiedClose = true
        connection.context.heldBytes -= heldInbound
        heldInbound = 0
        if countedForAddress {
            countedForAddress = false
            connection.context.server.webSocketsPerAddress.release(connection.remoteAddress)
        }
        // Leaving the rooms calls no application code, and a broadcast in progress iterates
        // over a copy of the member list, so it is safe (and stops deliveries) at once.
        connection.context.rooms.leaveAll(self, server: connection.context.server)
        // The application's callback may take locks the caller of this close (a send or a
        // broadcast made under such a lock) still holds: it runs once that call returned.
        loop.deferToIterationEnd { [self] in handler.webSocketDidClose(self, code: code, reason: reason) }
    }

    /// The TCP connection is gone (after the handshake, or abruptly).
    func connectionDidClose() {
        notifyClosed(code: nil, reason: "")
    }

    /// Heartbeat and dead-peer detection, from the loop's once-a-second sweep.
    func sweep(now: Instant) {
        let configuration = connection.configuration
        if let started = closeStartedAt {
            if now.seconds(since: started) > configuration.webSocketCloseTimeoutSeconds {
                proto.connectionLost(into: &actions)
                perform()
                connection.closeNow()
            }
            return
        }
        if now.seconds(since: connection.lastReceived) > configuration.webSocketDeadAfterSeconds {
            connection.closeNow()
            return
        }
        if now.seconds(since: connection.lastReceived) > configuration.webSocketPingIntervalSeconds,
           now.seconds(since: lastPingAt) > configuration.webSocketPingIntervalSeconds {
            lastPingAt = now
            proto.ping(payload: [], into: &actions)
            perform()
        }
    }
}
