/// The server side of the opening handshake (RFC 6455 section 4.2).
public enum WebSocketHandshake {
    /// The only protocol version we speak (RFC 6455 section 4.2.1 item 6).
    public static let version = "13"

    /// What the server accepts besides a well-formed request.
    public struct Policy: Sendable {
        /// Decides on the `Origin` header; nil origin means a non-browser client.
        /// Browsers always send Origin, so this is the cross-site defence (RFC 6455 section 10.2).
        public var isOriginAllowed: @Sendable (String?) -> Bool
        /// Subprotocols we speak, best first; the first one the client also offers is chosen.
        public var subprotocols: [String]
        /// Whether permessage-deflate may be negotiated.
        public var allowsCompression: Bool

        public init(isOriginAllowed: @escaping @Sendable (String?) -> Bool = { _ in true },
                    subprotocols: [String] = [], allowsCompression: Bool = true) {
            self.isOriginAllowed = isOriginAllowed
            self.subprotocols = subprotocols
            self.allowsCompression = allowsCompression
        }
    }

    /// The outcome of an upgrade request.
    public enum Outcome: Sendable {
        /// Write `response` (101, no body), then speak WebSocket with `WebSocketProtocol(deflate:)`.
        case accept(response: HTTPResponse, deflate: NegotiatedDeflate?, subprotocol: String?)
        /// Write `response` (400, 403 or 426 with a text body) and keep HTTP semantics.
        case reject(HTTPResponse)
    }

    /// Whether the request asks for a WebSocket upgrade at all (`Upgrade: websocket`),
    /// so the router can send it here rather than to an HTTP route.
    public static func isUpgradeRequest(_ head: HTTPRequestHead) -> Bool {
        head.headers.containsToken("websocket", in: "Upgrade")
    }

    /// Validates an upgrade request (RFC 6455 section 4.2.1) and builds the answer.
    public static func evaluate(_ head: HTTPRequestHead, policy: Policy = Policy()) -> Outcome {
        let headers = head.headers
        // RFC 6455 section 4.2.1 items 1-5: GET, HTTP/1.1, Host, Upgrade, Connection.
        guard head.method == .get else { return .reject(refusal(.badRequest, "WebSocket upgrades must use GET")) }
        guard head.version == .http1_1 else { return .reject(refusal(.badRequest, "WebSocket upgrades need HTTP/1.1")) }
        guard headers["Host"] != nil else { return .reject(refusal(.badRequest, "missing Host header")) }
        guard headers.containsToken("websocket", in: "Upgrade") else {
            return .reject(refusal(.badRequest, "missing Upgrade: websocket"))
        }
        guard headers.containsToken("Upgrade", in: "Connection") else {
            return .reject(refusal(.badRequest, "missing Connection: Upgrade"))
        }
        // RFC 6455 section 4.2.1 item 6 and 4.4: any other version gets 426 and the one we speak.
        guard headers.values("Sec-WebSocket-Version").map({ String($0.trimmingASCIISpaces()) }) == [version] else {
            var response = refusal(.upgradeRequired, "unsupported WebSocket version; this server speaks 13")
            response.headers.add("Sec-WebSocket-Version", version)
            return .reject(response)
        }
        // RFC 6455 section 4.2.1 item 4: a base64-encoded 16-byte nonce.
        let keys = headers.values("Sec-WebSocket-Key")
        guard keys.count == 1, case let key = String(keys[0].trimmingASCIISpaces()), WebSocketAcceptKey.isValidKey(key) else {
            return .reject(refusal(.badRequest, "invalid Sec-WebSocket-Key"))
        }
        // RFC 6455 section 4.2.2 item 1 and section 10.2: the server decides on Origin.
        guard policy.isOriginAllowed(headers["Origin"]) else { return .reject(refusal(.forbidden, "origin not allowed")) }

        var response = HTTPResponse(status: .switchingProtocols)
        response.headers.add("Upgrade", "websocket")
        response.headers.add("Connection", "Upgrade")
        response.headers.add("Sec-WebSocket-Accept", WebSocketAcceptKey.accept(forKey: key))
        let subprotocol = chooseSubprotocol(offered: headers, supported: policy.subprotocols)
        if let subprotocol { response.headers.add("Sec-WebSocket-Protocol", subprotocol) }
        let deflate = policy.allowsCompression ? PerMessageDeflate.negotiate(offers: headers.values("Sec-WebSocket-Extensions")) : nil
        if let deflate { response.headers.add("Sec-WebSocket-Extensions", deflate.responseHeaderValue) }
        return .accept(response: response, deflate: deflate, subprotocol: subprotocol)
    }

    /// `Sec-WebSocket-Accept` for a key (RFC 6455 section 4.2.2 item 5.4).
    public static func acceptValue(forKey key: String) -> String {
        WebSocketAcceptKey.accept(forKey: key)
    }

    /// The first of our subprotocols the client offers (RFC 6455 section 4.2.2 item 5.4); nil if none.
    private static func chooseSubprotocol(offered headers: HTTPHeaders, supported: [String]) -> String? {
        let offered = headers.values("Sec-WebSocket-Protocol")
            .flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingASCIISpaces()) }
        return supported.first { offered.contains($0) }
    }

    private static func refusal(_ status: HTTPStatus, _ message: String) -> HTTPResponse {
        .text(message + "\n", status: status)
    }
}
