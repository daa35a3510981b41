import CSystem
import Glibc

/// Everything one event loop owns: its listener, its connections, its share of the rooms,
/// and a read buffer shared by all its connections (so an idle connection holds no buffer).
final class LoopContext: EventHandler, @unchecked Sendable {
    let loop: EventLoop
    unowned let server: Server
    let configuration: ServerConfiguration
    private(set) var listenFD: Int32 = -1
    /// One read buffer per loop: reads land here and only leftovers are copied per connection.
    var readBuffer: UnsafeMutableRawBufferPointer
    /// Where the TLS path gathers queued plaintext into one record before encrypting it
    /// (one TLS record; empty when the server does not speak TLS).
    let tlsScratch: UnsafeMutableRawBufferPointer
    private(set) var connections: [Int32: Connection] = [:]
    let rooms: LoopRooms
    private var nextConnectionID: UInt64
    private var sweepTimer: TimerID?
    private(set) var isDraining = false
    private var reportedDrained = false
    /// Bytes this loop's connections hold in outbound queues and WebSocket messages being
    /// received, against `maxHeldBytes`.
    var heldBytes = 0
    /// This loop's share of `ServerConfiguration.maxHeldBytesTotal`.
    let maxHeldBytes: Int

    static let readBufferBytes = 64 * 1024

    init(loop: EventLoop, server: Server) {
        self.loop = loop
        self.server = server
        configuration = server.configuration
        maxHeldBytes = configuration.maxHeldBytesTotal / max(1, configuration.loopCount)
        readBuffer = .allocate(byteCount: Self.readBufferBytes, alignment: 16)
        tlsScratch = .allocate(byteCount: server.configuration.tls == nil ? 0 : TLSPolicy.maxRecordPlaintextBytes, alignment: 16)
        rooms = LoopRooms()
        // Connection ids are unique across loops: the loop index lives in the top bits.
        nextConnectionID = UInt64(loop.index) << 48
    }

    deinit {
        readBuffer.deallocate()
        tlsScratch.deallocate()
    }

    /// Opens this loop's listening socket (SO_REUSEPORT: the kernel spreads connections
    /// over the loops' listeners, so there is no thundering herd) and starts the sweep.
    func listen(port: Int) throws(SystemError) -> Int {
        var bound: Int32 = 0
        let fd = configuration.host.withCString { csys_tcp_listen($0, Int32(port), configuration.listenBacklog, 1, &bound) }
        guard fd >= 0 else { throw SystemError(call: "listen(\(configuration.host):\(port))", errno: errno) }
        listenFD = fd
        try loop.register(fd: fd, events: csys_EPOLLIN, handler: self)
        scheduleSweep()
        return Int(bound)
    }

    /// Accepts every pending connection (the listener is readable).
    func handleEvent(_ events: UInt32) {
        var address = [CChar](repeating: 0, count: 64)
        while listenFD >= 0 {
            let fd = csys_accept(listenFD, &address, 64)
            if fd < 0 {
                let code = errno
                switch code {
                case EAGAIN, EWOULDBLOCK, EINTR:
                    return
                case ECONNABORTED, EPROTO, EPERM:
                    // This one connection failed before we took it (reset, firewall): take the next.
                    server.metrics.acceptFailed()
                    continue
                default:
                    // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM) or worse:
                    // the listener stays readable, so pause instead of spinning on it.
                    server.metrics.acceptFailed()
                    server.log("accept failed: \(SystemError(call: "accept4", errno: code)); refusing connections for \(Self.acceptPauseSeconds) s")
                    pauseAccepting()
                    return
                }
            }
            _ = csys_set_nodelay(fd)
            var session: TLSSession?
            if let tls = server.tlsContext {
                session = tls.makeSession(fd: fd, now: loop.now)
                guard session != nil else {
                    server.log("accept: OpenSSL could not create a TLS session")
                    close(fd)
                    continue
                }
            }
            nextConnectionID += 1
            let connection = Connection(fd: fd, id: nextConnectionID, remoteAddress: String(decoding: address.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self),
                                        context: self, tls: session)
            do {
                try loop.register(fd: fd, events: csys_EPOLLIN | csys_EPOLLRDHUP, handler: connection)
                connections[fd] = connection
                server.metrics.connectionOpened()
            } catch {
                server.metrics.acceptFailed()
                server.log("dropping a new connection from \(connection.remoteAddress): \(error)")
                close(fd)
            }
        }
    }

    /// How long accepting pauses after running out of descriptors or memory: long enough
    /// for closes to free some, short enough that clients barely notice.
    static let acceptPauseSeconds = 0.1

    private func pauseAccepting() {
        loop.unregister(fd: listenFD)
        loop.schedule(after: Self.acceptPauseSeconds) { [self] in resumeAccepting() }
    }

    /// Puts the listener back; if even that fails, says so and tries again later, so the
    /// server never silently stops accepting for good.
    private func resumeAccepting() {
        guard listenFD >= 0 else { return }
        do {
            try loop.register(fd: listenFD, events: csys_EPOLLIN, handler: self)
        } catch {
            server.log("listener not re-registered: \(error); retrying in \(Self.acceptPauseSeconds) s")
            loop.schedule(after: Self.acceptPauseSeconds) { [self] in resumeAccepting() }
        }
    }

    /// Forgets a connection whose socket was closed.
    func remove(_ connection: Connection) {
        if connections[connection.fd] === connection { connections[connection.fd] = nil }
        server.metrics.connectionClosed()
        reportDrainedIfEmpty()
    }

    private func reportDrainedIfEmpty() {
        guard isDraining, connections.isEmpty, !reportedDrained else { return }
        reportedDrained = true
        server.loopDrained(self)
    }

    /// The coarse timeout sweep: header deadlines, idle keep-alive, WebSocket heartbeats.
    private func scheduleSweep() {
        sweepTimer = loop.schedule(after: 1.0) { [self] in
            let now = Instant.now()
            for connection in Array(connections.values) { connection.sweep(now: now) }
            scheduleSweep()
        }
    }

    /// Graceful shutdown, step one: stop accepting and ask every connection to finish.
    func beginDrain() {
        isDraining = true
        if listenFD >= 0 {
            loop.unregister(fd: listenFD)
            close(listenFD)
            listenFD = -1
        }
        for connection in Array(connections.values) { connection.drain() }
        reportDrainedIfEmpty()
    }

    /// Graceful shutdown, last step: whatever is still open is closed now.
    func forceClose() {
        for connection in Array(connections.values) { connection.closeNow() }
        if let sweepTimer { loop.cancel(sweepTimer) }
    }
}
