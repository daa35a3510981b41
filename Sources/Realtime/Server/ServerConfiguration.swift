import CSystem
import Glibc

/// Every limit and timing of the server, with its unit in its name and a reason for its default.
/// A value type handed to `Server.init`: the server keeps its own copy, so nothing can
/// change it after `start()`.
public struct ServerConfiguration: Sendable {
    /// Address to listen on; loopback by default so nothing is exposed by accident.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one (tests).
    public var port = 8080
    /// Certificate and key for HTTPS and WSS on this port; nil serves plain HTTP (the
    /// default, for a TLS-terminating proxy in front or local use).
    public var tls: TLSConfiguration?
    /// Event loops (threads); one per core is what keeps every core busy without contention.
    public var loopCount = System.coreCount
    /// HTTP request parsing limits (header size and count, body size).
    public var http = HTTPParserLimits()
    /// WebSocket frame and message limits.
    public var webSocket = WebSocketConfiguration()
    /// A client must finish sending a request head within this time (against slowloris).
    public var headerReadTimeoutSeconds = 10.0
    /// A request body must arrive within this time plus one second per
    /// `bodyMinimumBytesPerSecond` bytes received (408 otherwise). 20 s and 500 B/s are
    /// Apache mod_reqtimeout's defaults: a slow phone upload passes, a byte every 30 s does not.
    public var bodyReadTimeoutSeconds = 20.0
    /// See `bodyReadTimeoutSeconds`.
    public var bodyMinimumBytesPerSecond = 500.0
    /// A body larger than this goes to a temporary file as it arrives instead of memory.
    /// 256 KiB: JSON bodies stay in memory; attachments and floods of big bodies do not.
    public var bodySpoolThresholdBytes = 256 * 1024
    /// Memory held by all bodies still arriving, across the server; past it, new body bytes
    /// go to temporary files. 64 MiB: 256 bodies at the threshold.
    public var maxBufferedBodyBytesTotal = 64 << 20
    /// Bytes in spooled body files across the server (arriving, or held by a handler);
    /// past it, requests are answered 503 with Retry-After. 2 GiB: forty 52 MiB uploads.
    public var maxSpooledBodyBytesTotal = 2 << 30
    /// Where spooled bodies go: `$TMPDIR`, else `/tmp` (unlinked at once, so nothing is left behind).
    public var bodySpoolDirectory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    /// An idle keep-alive connection is closed after this long (browsers reuse within seconds).
    public var idleTimeoutSeconds = 75.0
    /// The server pings an idle WebSocket this often; proxies drop silent connections after ~60 s.
    public var webSocketPingIntervalSeconds = 30.0
    /// A WebSocket that has sent nothing (not even a pong) for this long is closed as dead.
    public var webSocketDeadAfterSeconds = 75.0
    /// A peer that does not answer our close frame within this time is disconnected.
    public var webSocketCloseTimeoutSeconds = 5.0
    /// Bytes queued for one connection before it counts as too slow and is disconnected.
    /// 8 MiB holds thousands of live events, far more than a healthy browser ever lags.
    public var maxQueuedBytesPerConnection = 8 << 20
    /// Bytes held across the whole server in WebSocket messages being received and in
    /// outbound queues. Each loop checks its own share (this divided by the loop count, so
    /// no lock is taken); past it, the connection adding more is closed: 1013 Try Again
    /// Later for an incoming message, a plain close for a backlogged queue. A broadcast
    /// frame counts once per queue holding it. 1 GiB: a small VM's spare memory, and a
    /// hundred times what thousands of healthy agents hold (their queues drain every
    /// iteration, their messages are small).
    public var maxHeldBytesTotal = 1 << 30
    /// Open WebSockets from one remote address; an upgrade past it is refused with 429.
    /// 1,024: above a whole office behind one NAT address, far below what exhausts file
    /// descriptors. Authenticated endpoints add a per-user limit of their own.
    public var maxWebSocketsPerAddress = 1_024
    /// Addresses the per-address limit does not apply to. Loopback by default: a reverse
    /// proxy on the same host (whose clients all share its address) and the benchmarks
    /// connect from there.
    public var addressLimitExemptions: Set<String> = ["127.0.0.1", "::1", "::ffff:127.0.0.1"]
    /// Requests parsed ahead of their responses on one connection (pipelining depth).
    public var maxPipelinedRequests = 32
    /// How long a graceful shutdown waits for requests in flight and close handshakes.
    public var shutdownGraceSeconds = 10.0
    /// Listen backlog; large enough for a reconnect storm of thousands of clients.
    public var listenBacklog: Int32 = 4096

    public init() {}
}

/// Facts about this machine.
public enum System {
    /// The number of cores this process may run on (its CPU affinity, so `taskset` counts).
    public static var coreCount: Int { Int(csys_cpu_count()) }
}
