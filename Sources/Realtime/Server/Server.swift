import CSystem
import Dispatch
import Glibc
import Synchronization

/// An HTTP/1.1 and WebSocket server on one epoll event loop per core.
///
/// Build it with a request handler (usually `Router.handler`), add WebSocket routes,
/// `start()` it, then `runUntilSignalled()` or `shutdown()`.
public final class Server: @unchecked Sendable {
    public let configuration: ServerConfiguration
    /// Rooms across every loop; broadcast from anywhere.
    public private(set) var rooms: Rooms!
    public let metrics = ServerMetrics()
    /// The certificate and key in use when `configuration.tls` is set (loaded by `start()`).
    private(set) var tlsContext: TLSContext?
    let handler: HTTPHandler
    private var webSocketRoutes: [(pattern: RoutePattern, upgrader: WebSocketUpgrader)] = []
    /// Decides whether a browser's `Origin` may open a WebSocket (nil: a non-browser client).
    /// Set before `start()`: the loops read it without a lock.
    public var originAllowed: @Sendable (String?) -> Bool = { _ in true } {
        didSet { precondition(!isStarted, "Server.originAllowed set after start()") }
    }
    /// Where the server's own log lines go (one line each, no secrets). The default hands
    /// them to the process's logger thread, so a stalled stdout never stalls a loop.
    /// Set before `start()`: the loops read it without a lock.
    public var log: @Sendable (String) -> Void = { LogWriter.standardOutput.write($0) } {
        didSet { precondition(!isStarted, "Server.log set after start()") }
    }
    /// Set once by `start()`; routes, hooks and the configuration are fixed from then on.
    private let started = Atomic<Bool>(false)
    private var isStarted: Bool { started.load(ordering: .acquiring) }
    /// How large a request's body may be and whether its handler takes a file, decided from
    /// the head before any body byte is read. Default: `configuration.http.maxBodyBytes`,
    /// in memory. Set before `start()`: the loops read it without a lock.
    public var bodyPolicy: @Sendable (HTTPRequestHead) -> HTTPBodyPolicy {
        didSet { precondition(!isStarted, "Server.bodyPolicy set after start()") }
    }
    /// Memory and disk held by request bodies across every loop.
    let bodyBudget: BodyBudget
    private var loops: [EventLoop] = []
    private(set) var contexts: [LoopContext] = []
    private let drained = Mutex<Int>(0)
    private let allDrained = DispatchSemaphore(value: 0)
    /// The port actually bound (differs from the configuration when it asked for 0).
    public private(set) var port = 0

    /// Open WebSockets per remote address (`maxWebSocketsPerAddress`).
    let webSocketsPerAddress: AddressCounter

    public init(configuration: ServerConfiguration = ServerConfiguration(), handler: @escaping HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
        webSocketsPerAddress = AddressCounter(limit: configuration.maxWebSocketsPerAddress,
                                              exempt: configuration.addressLimitExemptions)
        let maxBodyBytes = configuration.http.maxBodyBytes
        bodyPolicy = { _ in HTTPBodyPolicy(maxBytes: maxBodyBytes) }
        bodyBudget = BodyBudget(maxMemoryBytes: configuration.maxBufferedBodyBytesTotal,
                                maxDiskBytes: configuration.maxSpooledBodyBytesTotal)
    }

    /// Serves WebSocket upgrades on `pattern` (same syntax as router patterns).
    /// Call before `start()`.
    public func webSocket(_ pattern: String, _ upgrader: @escaping WebSocketUpgrader) {
        precondition(!isStarted, "WebSocket route \(pattern) added after start()")
        webSocketRoutes.append((RoutePattern(pattern), upgrader))
    }

    func webSocketUpgrade(for request: HTTPRequest) -> (WebSocketUpgrader, [String: String])? {
        let path = request.path
        for route in webSocketRoutes {
            if let parameters = route.pattern.match(path) { return (route.upgrader, parameters) }
        }
        return nil
    }

    /// Loads the TLS certificate (if configured), binds the listeners and starts the loops.
    /// Returns the bound port. Throws `TLSError` for an unusable certificate or key and
    /// `SystemError` when the port cannot be bound.
    @discardableResult
    public func start() throws -> Int {
        let (exchanged, _) = started.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing)
        precondition(exchanged, "Server.start() called twice")
        // Before any loop thread exists (and before the first log line starts the logger
        // thread), so the threads inherit the mask and only `runUntilSignalled`'s signalfd
        // receives SIGTERM, SIGINT and SIGHUP (whose default action would end the process).
        _ = csys_block_shutdown_signals()
        if let tls = configuration.tls {
            let context = try TLSContext(tls)
            tlsContext = context
            log("TLS certificate: \(context.certificate.withLock { $0 })")
        }
        let count = max(1, configuration.loopCount)
        for index in 0..<count {
            let loop = try EventLoop(index: index)
            metrics.register(loop.stats)
            loops.append(loop)
            contexts.append(LoopContext(loop: loop, server: self))
        }
        rooms = Rooms(contexts: contexts)
        // Each loop owns a SO_REUSEPORT listener on the same port; the first binds (maybe port 0).
        var bound = configuration.port
        for context in contexts {
            bound = try context.listen(port: bound)
        }
        port = bound
        for (index, loop) in loops.enumerated() { loop.start(name: "loop-\(index)") }
        return bound
    }

    /// Blocks until SIGTERM or SIGINT, then shuts down gracefully. SIGHUP meanwhile reloads
    /// the TLS certificate and key (`reloadTLS()`) and calls `onReload`.
    public func runUntilSignalled(onReload: () -> Void = {}) {
        let signals = csys_signalfd_for_shutdown()
        var poll = pollfd(fd: signals, events: Int16(POLLIN), revents: 0)
        var signal: Int32 = -1
        while true {
            let ready = Glibc.poll(&poll, 1, -1)
            if ready < 0, errno != EINTR { break }
            guard ready > 0 else { continue }
            signal = csys_signalfd_read(signals)
            guard signal == csys_SIGHUP else { break }
            reloadTLS()
            onReload()
        }
        close(signals)
        log("received signal \(signal); shutting down (grace \(Int(configuration.shutdownGraceSeconds)) s)")
        shutdown()
    }

    /// Reads the TLS certificate and key files again; connections accepted from now on use
    /// them, open ones keep theirs. On failure the current certificate stays and the
    /// reason is logged. Returns whether a new certificate is in use (false without TLS).
    @discardableResult
    public func reloadTLS() -> Bool {
        guard let tlsContext else {
            log("SIGHUP: no TLS certificate to reload")
            return false
        }
        do {
            let info = try tlsContext.reload()
            log("TLS certificate reloaded: \(info)")
            return true
        } catch {
            log("TLS certificate reload failed, keeping the current one: \(error)")
            return false
        }
    }

    /// Graceful shutdown: stop accepting, finish requests in flight, close WebSockets with
    /// 1001; whatever remains after the grace period is closed. Returns when loops stopped.
    public func shutdown() {
        for context in contexts {
            context.loop.execute { context.beginDrain() }
        }
        let deadline = DispatchTime.now() + configuration.shutdownGraceSeconds
        if allDrained.wait(timeout: deadline) == .timedOut {
            log("shutdown grace period over; closing remaining connections")
        }
        for context in contexts {
            context.loop.execute { context.forceClose() }
            context.loop.stop()
        }
        for loop in loops { loop.waitUntilStopped() }
    }

    func loopDrained(_ context: LoopContext) {
        let done = drained.withLock { count -> Bool in
            count += 1
            return count == contexts.count
        }
        if done { allDrained.signal() }
    }

    /// Process-wide setup: SIGPIPE ignored (writes report EPIPE instead) and standard
    /// output line-buffered so each log line leaves at once.
    public static func prepareProcess() {
        signal(SIGPIPE, SIG_IGN)
        csys_line_buffer_stdout()
        // Every thread created from here on inherits the mask, so SIGTERM, SIGINT and SIGHUP
        // wait for `runUntilSignalled` instead of reaching a thread that would take the
        // default action (ending the process without a graceful shutdown).
        _ = csys_block_shutdown_signals()
    }
}
