import Glibc

extension Connection {
    /// Validates the handshake, asks the application, then answers 101 and switches this
    /// connection to WebSocket framing (or answers with the refusal).
    func beginUpgrade(_ request: HTTPRequest, handler upgrade: (WebSocketUpgrader, [String: String]), context: ResponseContext) {
        var request = request
        request.parameters = upgrade.1
        let server = self.context.server
        let policy = WebSocketHandshake.Policy(isOriginAllowed: server.originAllowed)
        let handshake: Handshake
        switch WebSocketHandshake.evaluate(request.head, policy: policy) {
        case .accept(let response, let deflate, _): handshake = Handshake(response: response, deflate: deflate)
        case .reject(let response):
            refuseUpgrade(response, context: context)
            return
        }
        let upgradeRequest = request
        upgrade.0(request) { [self] decision in
            loop.runOnLoop { self.finishUpgrade(upgradeRequest, handshake: handshake, decision: decision, context: context) }
        }
    }

    /// The validated handshake, waiting for the application's decision.
    struct Handshake: Sendable {
        let response: HTTPResponse
        let deflate: NegotiatedDeflate?
    }

    private func finishUpgrade(_ request: HTTPRequest, handshake: Handshake, decision: WebSocketUpgradeDecision, context: ResponseContext) {
        guard case .http(let exchange) = mode else {
            // The connection closed while the application decided.
            notifyNotOpened(decision)
            return
        }
        switch decision {
        case .refuse(let response):
            refuseUpgrade(response, context: context)
        case .accept(let handler, let userInfo):
            // Responses owed to requests pipelined before the upgrade go out first.
            guard exchange.inFlight == 1, exchange.streaming == nil else {
                exchange.afterEarlierResponses = { [self] in finishUpgrade(request, handshake: handshake, decision: decision, context: context) }
                return
            }
            let server = self.context.server
            guard server.webSocketsPerAddress.acquire(remoteAddress) else {
                server.metrics.connectionRefusedForAddress()
                var headers = HTTPHeaders()
                headers.add("Retry-After", "60")
                refuseUpgrade(ProblemDetails.response(
                    status: .tooManyRequests, detail: "Too many WebSocket connections from this address.", headers: headers),
                              context: context)
                notifyNotOpened(decision)
                return
            }
            var head: [UInt8] = []
            let response = handshake.response
            HTTPResponseSerializer.writeHead(response, version: .http1_1, keepAlive: true,
                                             date: HTTPDateCache.shared.string(epochSeconds: time(nil)), into: &head)
            enqueue(head)
            let proto = WebSocketProtocol(configuration: configuration.webSocket, deflate: handshake.deflate)
            let socket = WebSocket(connection: self, request: request, handler: handler, userInfo: userInfo, proto: proto)
            socket.countedForAddress = true
            mode = .webSocket(socket)
            handler.webSocketDidOpen(socket)
            resumeReading()
        }
    }

    /// Tells the handler of an accepted upgrade that it never opened (at the end of the
    /// iteration, like every close callback).
    private func notifyNotOpened(_ decision: WebSocketUpgradeDecision) {
        guard case .accept(let handler, let userInfo) = decision else { return }
        loop.deferToIterationEnd { handler.webSocketDidNotOpen(userInfo: userInfo) }
    }

    private func refuseUpgrade(_ response: HTTPResponse, context: ResponseContext) {
        guard case .http(let exchange) = mode else { return }
        exchange.upgradePending = false
        // The refused request may have had a body we never read as frames: stop here.
        exchange.stopReading = true
        var closing = context
        closing.keepAlive = false
        complete(.success(response), context: closing)
    }
}
