import CSystem
import Glibc

/// One accepted TCP connection: reads into the loop's shared buffer, drives the HTTP or
/// WebSocket protocol over it, and writes through a corked outbound queue that is flushed
/// once at the end of each loop iteration. Touched only on its loop's thread.
final class Connection: EventHandler, IterationEndHandler, @unchecked Sendable {
    enum Mode {
        case http(HTTPExchange)
        case webSocket(WebSocket)
        case closed
    }

    let fd: Int32
    let id: UInt64
    let remoteAddress: String
    /// TLS over the socket when the server speaks HTTPS; nil on the plain path, which then
    /// pays one nil check per read and per flush.
    let tls: TLSSession?
    /// The loop context outlives every connection it accepts (both live until the server
    /// stops), so the reference skips unowned reference counting on the hot path.
    unowned(unsafe) let context: LoopContext
    var mode: Mode
    /// Input received but not yet consumed by the protocol (a partial request or frame).
    var pending: [UInt8] = []
    var outbound = OutboundQueue()
    private var flushScheduled = false
    private var waitingForWritable = false
    /// Reading stops while the protocol cannot take more (pipelining depth, pending upgrade).
    private(set) var readPaused = false
    /// Close the socket as soon as the outbound queue is empty.
    var closeAfterFlush = false
    /// Time of the last bytes received, for idle and liveness timeouts.
    var lastReceived: Instant

    var loop: EventLoop { context.loop }
    var configuration: ServerConfiguration { context.configuration }
    /// Set once by `closeNow`; read on every send, so kept apart from `mode`.
    private(set) var isClosed = false
    /// `ServerConfiguration.maxQueuedBytesPerConnection`, read on every send.
    private let maxQueuedBytes: Int

    init(fd: Int32, id: UInt64, remoteAddress: String, context: LoopContext, tls: TLSSession? = nil) {
        self.fd = fd
        self.id = id
        self.remoteAddress = remoteAddress
        self.tls = tls
        self.context = context
        lastReceived = context.loop.now
        maxQueuedBytes = context.configuration.maxQueuedBytesPerConnection
        mode = .http(HTTPExchange(limits: context.configuration.http))
    }

    // MARK: Events

    func handleEvent(_ events: UInt32) {
        if events & (csys_EPOLLERR | csys_EPOLLHUP) != 0, events & csys_EPOLLIN == 0 {
            closeNow()
            return
        }
        if events & csys_EPOLLOUT != 0 {
            flush()
            if let tls, tls.readWantsWritable, !isClosed { readAvailable() }
        }
        if events & (csys_EPOLLIN | csys_EPOLLRDHUP) != 0, !isClosed { readAvailable() }
    }

    /// Reads until the socket is drained (bounded, for fairness between connections).
    func readAvailable() {
        if let tls {
            readTLS(tls)
            return
        }
        var budget = 4
        while budget > 0, !readPaused, !isClosed {
            budget -= 1
            let buffer = context.readBuffer
            let n = read(fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                lastReceived = loop.now
                consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                if n < buffer.count { return }
            } else if n == 0 {
                peerClosed()
                return
            } else {
                let code = errno
                if code == EINTR { budget += 1; continue }
                if code == EAGAIN || code == EWOULDBLOCK { return }
                closeNow()
                return
            }
        }
    }

    /// Feeds newly read bytes (plus any leftover) to the protocol; keeps what it did not use.
    func consume(_ fresh: UnsafeRawBufferPointer) {
        if pending.isEmpty {
            let used = process(fresh)
            if used < fresh.count, !isClosed { pending.append(contentsOf: fresh[used...]) }
        } else {
            pending.append(contentsOf: fresh)
            reprocessPending()
        }
    }

    /// Runs the protocol over the held leftover bytes (after new input or a resume).
    func reprocessPending() {
        guard !pending.isEmpty, !isClosed else { return }
        let used = pending.withUnsafeBytes { process($0) }
        guard !isClosed else { return }
        if used == pending.count {
            pending = []
        } else if used > 0 {
            pending.removeFirst(used)
        }
    }

    /// Hands input to the current protocol; returns the bytes consumed.
    private func process(_ input: UnsafeRawBufferPointer) -> Int {
        switch mode {
        case .http: processHTTP(input)
        case .webSocket(let socket): socket.receive(input)
        case .closed: input.count
        }
    }

    func peerClosed() {
        switch mode {
        case .http(let exchange) where exchange.inFlight > 0:
            // Half-close after a request: answer what was asked, then close.
            closeAfterFlush = true
            pauseReading()
        case .http, .webSocket, .closed:
            closeNow()
        }
    }

    // MARK: Reading control

    func pauseReading() {
        guard !readPaused else { return }
        readPaused = true
        updateInterest()
    }

    func resumeReading() {
        guard readPaused, !isClosed else { return }
        readPaused = false
        updateInterest()
        reprocessPending()
        // Records OpenSSL already took off the socket raise no epoll event: read them now.
        if let tls, tls.hasBufferedInput, !readPaused { readAvailable() }
    }

    func updateInterest() {
        guard !isClosed else { return }
        var events: UInt32 = 0
        if !readPaused { events |= csys_EPOLLIN | csys_EPOLLRDHUP }
        if waitingForWritable || tls?.readWantsWritable == true { events |= csys_EPOLLOUT }
        do {
            try loop.modify(fd: fd, events: events)
        } catch {
            // Without the interest change this socket would never be read or drained again.
            context.server.log("closing \(remoteAddress): \(error)")
            closeNow()
        }
    }

    // MARK: Writing

    /// Queues bytes for writing at the end of this loop iteration. Returns false when the
    /// connection is closed or has just been dropped for being too slow.
    @discardableResult
    func enqueue(_ bytes: [UInt8]) -> Bool {
        loop.assertInLoop()
        guard !isClosed else { return false }
        // Over a limit, first hand what we can to the kernel (a burst within one loop
        // iteration is not a slow consumer). If it still does not fit, the consumer is too
        // slow to keep up: its queue is dropped and the socket closed; it reconnects and
        // resumes. The same holds when the loop's share of the server-wide byte limit is
        // spent: the connection adding to a backlog of its own is the one closed.
        if !outbound.isEmpty, isOverLimit(adding: bytes.count) {
            flush()
            guard !isClosed else { return false }
            if !outbound.isEmpty, isOverLimit(adding: bytes.count) {
                dropSlowConsumer(adding: bytes.count)
                return false
            }
        }
        outbound.append(bytes)
        context.heldBytes += bytes.count
        scheduleFlush()
        return true
    }

    @inline(__always)
    private func isOverLimit(adding count: Int) -> Bool {
        outbound.byteCount + count > maxQueuedBytes || context.heldBytes + count > context.maxHeldBytes
    }

    private func dropSlowConsumer(adding count: Int) {
        if outbound.byteCount + count > maxQueuedBytes {
            context.server.metrics.slowConsumerDropped()
            context.server.log("closing slow consumer \(remoteAddress) with \(outbound.byteCount) bytes queued")
        } else {
            context.server.metrics.closedOverMemoryLimit()
            context.server.log("closing \(remoteAddress) with \(outbound.byteCount) bytes queued: the loop holds \(context.heldBytes) bytes")
        }
        closeNow()
    }

    func scheduleFlush() {
        guard !flushScheduled, !waitingForWritable else { return }
        flushScheduled = true
        loop.runAtIterationEnd(self)
    }

    func iterationDidEnd() {
        flushScheduled = false
        flush()
    }

    /// Writes what the socket takes; registers for EPOLLOUT after a short write.
    func flush() {
        guard !isClosed else { return }
        let queued = outbound.byteCount
        let drained: Bool
        if let tls {
            guard let done = writeTLS(tls) else {
                context.heldBytes -= queued - outbound.byteCount
                closeNow()
                return
            }
            drained = done
        } else {
            do {
                drained = try outbound.write(to: fd)
            } catch {
                context.heldBytes -= queued - outbound.byteCount
                closeNow()
                return
            }
        }
        context.heldBytes -= queued - outbound.byteCount
        if drained != !waitingForWritable {
            waitingForWritable = !drained
            updateInterest()
        }
        if drained { outboundDidDrain() }
    }

    /// The queue emptied: stream more of a large body, or close if asked to.
    private func outboundDidDrain() {
        if case .http = mode { httpOutboundDidDrain() }
        if closeAfterFlush, outbound.isEmpty, !isClosed { closeNow() }
    }

    // MARK: Closing

    /// Closes the socket now: nothing more is read or written, and sends report `dropped`.
    /// The application hears of it (`webSocketDidClose`) at the end of this loop iteration,
    /// never from inside the enqueue, flush or broadcast that called this. Idempotent.
    func closeNow() {
        loop.assertInLoop()
        let previous = mode
        guard !isClosed else { return }
        isClosed = true
        mode = .closed
        loop.unregister(fd: fd)
        tls?.shutdown()
        Glibc.close(fd)
        context.heldBytes -= outbound.byteCount
        outbound.removeAll()
        pending = []
        switch previous {
        case .webSocket(let socket): socket.connectionDidClose()
        case .http(let exchange):
            exchange.cancelStreams()
            // An accepted upgrade waiting behind earlier responses: let it see the close.
            if let upgrade = exchange.afterEarlierResponses {
                exchange.afterEarlierResponses = nil
                upgrade()
            }
        case .closed: break
        }
        context.remove(self)
    }

    /// Graceful shutdown: finish what is in flight, then close (WebSockets with 1001).
    func drain() {
        switch mode {
        case .http(let exchange):
            if exchange.inFlight == 0, outbound.isEmpty { closeNow() } else { closeAfterFlush = true; pauseReading() }
        case .webSocket(let socket):
            socket.close(code: .goingAway, reason: "server shutting down")
        case .closed:
            break
        }
    }

    /// Called once a second by the loop's sweep with the current time.
    func sweep(now: Instant) {
        if let tls, !tls.isEstablished, now.seconds(since: tls.startedAt) > configuration.headerReadTimeoutSeconds {
            // A TLS handshake that has not finished is treated like a slow request head.
            closeNow()
            return
        }
        switch mode {
        case .http(let exchange): sweepHTTP(exchange, now: now)
        case .webSocket(let socket): socket.sweep(now: now)
        case .closed: break
        }
    }
}
