/// Receives what happens on WebSockets. Every call arrives on the socket's event loop,
/// in order; keep them quick and move slow work (storage) off the loop.
public protocol WebSocketHandler: AnyObject, Sendable {
    /// The handshake completed; the socket can send and join rooms.
    func webSocketDidOpen(_ socket: WebSocket)
    /// A complete, UTF-8-validated text message arrived.
    func webSocket(_ socket: WebSocket, didReceiveText text: String)
    /// A complete binary message arrived.
    func webSocket(_ socket: WebSocket, didReceiveBinary bytes: [UInt8])
    /// The socket closed (after a close handshake, an error or a dropped connection:
    /// `code` is nil when no close frame was received). Called exactly once, at the end of
    /// the loop iteration in which the socket closed, never from inside a `send`, `close`
    /// or `Rooms.broadcast` call, so it may take a lock held around such calls. By then the
    /// socket has left its rooms.
    func webSocketDidClose(_ socket: WebSocket, code: WebSocketCloseCode?, reason: String)
    /// An upgrade this handler accepted never opened: the connection closed while the
    /// decision was pending, or the server refused it at a limit (429 per address).
    /// `webSocketDidOpen` and `webSocketDidClose` are then never called for it. With the
    /// pair below, every `.accept` ends in exactly one of `webSocketDidNotOpen` or
    /// `webSocketDidOpen` + `webSocketDidClose`, so a handler can count sockets (per user,
    /// say) from the moment it accepts. Called on the loop at the end of its iteration.
    func webSocketDidNotOpen(userInfo: (any Sendable)?)
}

extension WebSocketHandler {
    public func webSocketDidOpen(_ socket: WebSocket) {}
    public func webSocket(_ socket: WebSocket, didReceiveBinary bytes: [UInt8]) {}
    public func webSocketDidClose(_ socket: WebSocket, code: WebSocketCloseCode?, reason: String) {}
    public func webSocketDidNotOpen(userInfo: (any Sendable)?) {}
}

/// The application's answer to an upgrade request.
public enum WebSocketUpgradeDecision: Sendable {
    /// Complete the handshake; `handler` receives the socket's events and `userInfo`
    /// travels with the socket (who the user is, for example).
    case accept(any WebSocketHandler, userInfo: (any Sendable)? = nil)
    /// Refuse with this HTTP response (401, 403, ...).
    case refuse(HTTPResponse)
}

/// Decides an upgrade request (possibly later, from another thread) by calling `decide` once.
public typealias WebSocketUpgrader = @Sendable (HTTPRequest, _ decide: @escaping @Sendable (WebSocketUpgradeDecision) -> Void) -> Void

/// What happened to a message handed to a socket.
public enum SendOutcome: Sendable, Equatable {
    /// Queued; it is written at the end of the current loop iteration.
    case queued
    /// Not sent: the socket is closed or was just dropped as a too-slow consumer.
    case dropped
}
