extension Connection {
    /// Validates the handshake, asks the application, then answers 101 and switches this
    /// connection to WebSocket framing (or answers with the refusal).
    func beginUpgrade(_ request: HTTPRequest, handler upgrade: (WebSocketUpgrader, [String: String]), context: ResponseContext) {
        var request = request
        request.parameters = upgrade.1
        let server = self.context.server
        let handshake: WebSocketHandshake.Accepted
        switch WebSocketHandshake.validate(request.head, originAllowed: server.originAllowed) {
        case .success(let accepted): handshake = accepted
        case .failure(let refusal):
            refuseUpgrade(refusal.response, context: context)
            return
        }
        upgrade.0(request) { [self] decision in
            onLoop { self.finishUpgrade(request, handshake: handshake, decision: decision, context: context) }
        }
    }

    private func finishUpgrade(_ request: HTTPRequest, handshake: WebSocketHandshake.Accepted, decision: WebSocketUpgradeDecision, context: ResponseContext) {
        guard case .http(let exchange) = mode else { return }
        switch decision {
        case .refuse(let response):
            refuseUpgrade(response, context: context)
        case .accept(let handler, let subprotocol, let userInfo):
            // Responses owed to requests pipelined before the upgrade go out first.
            guard exchange.inFlight == 1, exchange.streaming == nil else {
                loop.schedule(after: 0.001) { [self] in finishUpgrade(request, handshake: handshake, decision: decision, context: context) }
                return
            }
            var head: [UInt8] = []
            let response = handshake.response(subprotocol: subprotocol)
            HTTPResponseSerializer.writeHead(status: response.status, headers: response.headers, version: .http1_1,
                                             contentLength: nil, chunked: false, keepAlive: true, into: &head)
            enqueue(head)
            let proto = WebSocketProtocol(configuration: configuration.webSocket, deflate: handshake.deflate)
            let socket = WebSocket(connection: self, request: request, handler: handler, userInfo: userInfo, proto: proto)
            mode = .webSocket(socket)
            handler.webSocketDidOpen(socket)
            resumeReading()
        }
    }

    private func refuseUpgrade(_ response: HTTPResponse, context: ResponseContext) {
        guard case .http(let exchange) = mode else { return }
        exchange.upgradePending = false
        // The refused request may have had a body we never read as frames: stop here.
        exchange.stopReading = true
        let closing = ResponseContext(sequence: context.sequence, isHead: false, version: context.version,
                                      keepAlive: false, acceptsGzip: context.acceptsGzip)
        complete(.success(response), context: closing)
    }
}
