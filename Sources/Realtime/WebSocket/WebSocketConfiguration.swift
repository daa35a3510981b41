/// Limits and knobs of one WebSocket connection's protocol machine.
public struct WebSocketConfiguration: Sendable {
    /// The largest frame payload accepted: Autobahn 9.* sends single frames of up to 16 MiB.
    public var maxFrameBytes: Int = 16 * 1024 * 1024
    /// The largest message accepted, after inflation: Autobahn 9.* sends 16 MiB messages.
    public var maxMessageBytes: Int = 16 * 1024 * 1024
    /// The largest a compressed message may inflate to (also capped by `maxMessageBytes`).
    /// An uncompressed message holds only what the peer sent, but deflate's ratio reaches
    /// 1000:1, so 15 KB on the wire could hold 15 MiB. 1 MiB: far above any live-protocol
    /// command and above Autobahn's largest compressed case (128 KiB).
    public var maxInflatedMessageBytes: Int = 1024 * 1024
    /// Outbound messages shorter than this go uncompressed: deflate cannot shrink them.
    public var compressionMinimumBytes: Int = 64

    public init(maxFrameBytes: Int = 16 * 1024 * 1024, maxMessageBytes: Int = 16 * 1024 * 1024,
                maxInflatedMessageBytes: Int = 1024 * 1024, compressionMinimumBytes: Int = 64) {
        self.maxFrameBytes = maxFrameBytes
        self.maxMessageBytes = maxMessageBytes
        self.maxInflatedMessageBytes = maxInflatedMessageBytes
        self.compressionMinimumBytes = compressionMinimumBytes
    }

    /// The inflated size a compressed message may reach.
    var inflatedMessageLimit: Int { min(maxMessageBytes, maxInflatedMessageBytes) }
}

/// What the connection shell must do after feeding bytes to `WebSocketProtocol`,
/// in order.
public enum WebSocketAction: Sendable, Equatable {
    /// A complete text message, already validated as UTF-8.
    case deliverText(String)
    /// A complete binary message.
    case deliverBinary([UInt8])
    /// Framed bytes to write (pong, close, ...), after anything queued before.
    case send([UInt8])
    /// Stop reading; close the TCP connection once everything queued is written.
    case closeAfterFlush
    /// The connection is over: the code the peer sent (nil if its close had none),
    /// the code we failed it with, or `abnormalClosure` when TCP ended first.
    /// Reported exactly once.
    case closed(code: WebSocketCloseCode?, reason: String)
}

/// The lifecycle of a connection (RFC 6455 section 7).
public enum WebSocketState: Sendable, Equatable {
    /// Messages flow both ways.
    case open
    /// We sent a close frame and wait for the peer's (the shell times this out).
    case closeSent
    /// The close handshake finished or the connection failed; input is ignored.
    case closed
}
