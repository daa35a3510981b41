import Glibc

extension Connection {
    private var exchange: HTTPExchange? {
        if case .http(let exchange) = mode { exchange } else { nil }
    }

    /// Parses requests out of `input` and dispatches each complete one; returns bytes used.
    func processHTTP(_ input: UnsafeRawBufferPointer) -> Int {
        guard let exchange else { return input.count }
        var offset = 0
        // With no input left, a message whose head was read may still end (no body).
        while offset < input.count || exchange.head != nil {
            if exchange.stopReading || exchange.upgradePending || exchange.inFlight >= configuration.maxPipelinedRequests {
                pauseReading()
                break
            }
            let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
            if exchange.head == nil, exchange.headStartedAt == nil { exchange.headStartedAt = loop.now }
            let event: HTTPParserEvent?
            let consumed: Int
            do {
                (event, consumed) = try exchange.parser.next(rest)
            } catch {
                refuse(error.status, detail: error.detail, exchange: exchange)
                return input.count
            }
            offset += consumed
            guard let event else { break }
            switch event {
            case .head(let head):
                exchange.head = head
                exchange.headStartedAt = nil
                exchange.bodyStartedAt = loop.now
                guard beginBody(head, exchange: exchange) else { return input.count }
                if !answerExpectation(head, exchange: exchange, bodyArrived: offset < input.count) { return input.count }
            case .body(let range):
                guard appendBody(UnsafeRawBufferPointer(rebasing: rest[range]), exchange: exchange) else { return input.count }
            case .end:
                dispatch(exchange)
            }
        }
        return offset
    }

    /// RFC 9110 section 10.1.1: answer `Expect: 100-continue` before the client sends the body.
    private func answerExpectation(_ head: HTTPRequestHead, exchange: HTTPExchange, bodyArrived: Bool) -> Bool {
        guard let expect = head.headers["Expect"] else { return true }
        guard expect.equalsIgnoringASCIICase("100-continue") else {
            refuse(.expectationFailed, detail: "Only Expect: 100-continue is supported.", exchange: exchange)
            return false
        }
        if head.version == .http1_1, !bodyArrived, (exchange.parser.expectedBodyLength ?? 0) > 0 {
            enqueue(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        return true
    }

    /// Hands a complete request to the application (or the WebSocket upgrader).
    private func dispatch(_ exchange: HTTPExchange) {
        guard let head = exchange.head else { return }
        exchange.head = nil
        exchange.bodyStartedAt = nil
        guard let (bytes, file) = takeBody(exchange) else { return }
        var request = HTTPRequest(head: head, body: bytes, remoteAddress: remoteAddress)
        request.bodyFile = file
        request.isSecure = tls != nil
        let context = ResponseContext(sequence: exchange.nextSequence, request: head, keepAlive: head.keepAlive && !self.context.isDraining)
        exchange.nextSequence += 1
        exchange.inFlight += 1
        self.context.server.metrics.requestHandled()
        if !context.keepAlive { exchange.stopReading = true }
        if WebSocketHandshake.isUpgradeRequest(head), let upgrade = self.context.server.webSocketUpgrade(for: request) {
            exchange.upgradePending = true
            exchange.stopReading = true
            pauseReading()
            beginUpgrade(request, handler: upgrade, context: context)
            return
        }
        self.context.server.handler(request) { [self] result in
            // Not `loop.runOnLoop`: a synchronous handler completes on the loop, and this
            // spares the extra closure on every such request.
            if loop.inLoop { complete(result, context: context) } else { loop.execute { self.complete(result, context: context) } }
        }
    }

    /// Stores a finished response and writes every response that is now next in order.
    func complete(_ result: Result<HTTPResponse, any Error>, context: ResponseContext) {
        guard let exchange, !isClosed else { return }
        let response: HTTPResponse
        switch result {
        case .success(let value): response = value
        case .failure(let error):
            self.context.server.log("unhandled error for request: \(error)")
            response = ProblemDetails.response(status: .internalServerError, detail: "The server could not complete the request.")
        }
        if context.sequence == exchange.nextToWrite, exchange.streaming == nil {
            // The usual case: the response is next in line, so it goes out at once.
            exchange.nextToWrite += 1
            write(response, context: context, exchange: exchange)
        } else {
            exchange.finished[context.sequence] = (response, context)
        }
        writeFinishedResponses(exchange)
    }

    private func writeFinishedResponses(_ exchange: HTTPExchange) {
        while exchange.streaming == nil, let (response, context) = exchange.finished.removeValue(forKey: exchange.nextToWrite) {
            exchange.nextToWrite += 1
            write(response, context: context, exchange: exchange)
        }
    }

    private func requestDone(_ exchange: HTTPExchange, context: ResponseContext) {
        exchange.inFlight -= 1
        if exchange.inFlight == 1, exchange.upgradePending, let upgrade = exchange.afterEarlierResponses {
            exchange.afterEarlierResponses = nil
            upgrade()
            return
        }
        if !context.keepAlive || self.context.isDraining, exchange.inFlight == 0 {
            closeAfterFlush = true
            if outbound.isEmpty { scheduleFlush() }
        } else if !exchange.stopReading {
            resumeReading()
        }
    }

    /// Serializes one response into the outbound queue, starting a stream for large bodies.
    private func write(_ original: HTTPResponse, context: ResponseContext, exchange: HTTPExchange) {
        let response = Gzip.compressIfWorthwhile(original, for: context.request)
        var bodyBytes: [UInt8] = []
        switch response.body {
        case .empty:
            break
        case .bytes(let bytes):
            bodyBytes = bytes
        case .file(let path, let offset, let length):
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                write(ProblemDetails.response(status: .notFound, detail: "The file is no longer available."), context: context, exchange: exchange)
                return
            }
            let file = OpenFile(fd: fd)
            if !context.isHead, length > 0 { exchange.streaming = .file(file, offset: offset, remaining: length) }
        case .stream(let producer):
            if !context.isHead {
                exchange.streaming = .stream(producer, chunked: context.version == .http1_1)
                // Strong: the producer drops `wake` once it ends or is cancelled, which ends the cycle.
                producer.attach { [self, loop = self.loop] in loop.execute { self.httpOutboundDidDrain() } }
            } else {
                producer.cancel()  // HEAD: the body is never read
            }
        }
        var head: [UInt8] = []
        if bodyBytes.count <= 16 * 1024 { head.reserveCapacity(256 + bodyBytes.count) }
        let written = HTTPResponseSerializer.writeHead(
            response, version: context.version, keepAlive: context.keepAlive && !self.context.isDraining,
            date: HTTPDateCache.shared.string(epochSeconds: time(nil)), into: &head)
        var finalContext = context
        finalContext.keepAlive = written.keepAlive
        if !written.keepAlive { exchange.stopReading = true }
        if exchange.streaming != nil { exchange.streamingContext = finalContext }
        if !context.isHead, !bodyBytes.isEmpty {
            if bodyBytes.count <= 16 * 1024 { head.append(contentsOf: bodyBytes) } else { enqueue(head); head = bodyBytes }
        }
        enqueue(head)
        if exchange.streaming != nil {
            pumpStream(exchange)
        } else {
            requestDone(exchange, context: finalContext)
        }
    }

    /// The queue drained: feed the next piece of a streamed body, or the next response.
    func httpOutboundDidDrain() {
        guard let exchange, exchange.streaming != nil else { return }
        pumpStream(exchange)
    }

    private static let streamPieceBytes = 64 * 1024

    private func pumpStream(_ exchange: HTTPExchange) {
        guard let source = exchange.streaming, outbound.byteCount < Self.streamPieceBytes else { return }
        switch source {
        case .file(let file, let offset, let remaining):
            readPiece(of: file, offset: offset, remaining: remaining)
        case .stream(let producer, let chunked):
            if let piece = producer.next() {
                guard !piece.isEmpty else { return }
                enqueue(chunked ? HTTPResponseSerializer.chunk(piece) : piece)
            } else if producer.failed {
                // The body cannot be completed: end the connection so the client sees it cut.
                exchange.streaming = nil
                closeNow()
            } else {
                if chunked { enqueue(HTTPResponseSerializer.lastChunk) }
                finishStream(exchange)
            }
        }
    }

    /// Reads the next piece of a file body on the I/O pool (a disk read may block) and
    /// queues it back on the loop; one read at a time per body.
    private func readPiece(of file: OpenFile, offset: Int, remaining: Int) {
        guard !file.reading else { return }
        file.reading = true
        let want = min(remaining, Self.streamPieceBytes)
        BlockingIOPool.shared.submit { [self] in
            var piece = [UInt8](repeating: 0, count: want)
            var n = 0
            repeat {
                n = piece.withUnsafeMutableBytes { pread(file.fd, $0.baseAddress, want, off_t(offset)) }
            } while n < 0 && errno == EINTR
            if n > 0, n < want { piece.removeLast(want - n) }
            let read = n
            loop.execute { [piece] in self.pieceRead(piece, count: read, of: file) }
        }
    }

    /// A piece of a file body arrived from the I/O pool: queue it, or close when the file
    /// shrank under us (the promised length cannot be met).
    private func pieceRead(_ piece: [UInt8], count: Int, of file: OpenFile) {
        file.reading = false
        guard !isClosed, let exchange, case .file(let current, let offset, let remaining) = exchange.streaming,
              current === file else { return }
        guard count > 0 else {
            exchange.streaming = nil
            closeNow()
            return
        }
        enqueue(piece)
        if remaining - count == 0 {
            finishStream(exchange)
        } else {
            exchange.streaming = .file(file, offset: offset + count, remaining: remaining - count)
            pumpStream(exchange)
        }
    }

    private func finishStream(_ exchange: HTTPExchange) {
        exchange.streaming = nil
        if let context = exchange.streamingContext { requestDone(exchange, context: context) }
        exchange.streamingContext = nil
        writeFinishedResponses(exchange)
    }

    /// Answers a malformed or over-limit request and closes after the answer.
    func refuse(_ status: HTTPStatus, detail: String, exchange: HTTPExchange, headers: HTTPHeaders = HTTPHeaders()) {
        exchange.stopReading = true
        exchange.body = nil
        // The answer ends this request: no later sweep may time its body out again.
        exchange.bodyStartedAt = nil
        pending = []
        let response = ProblemDetails.response(status: status, detail: detail, headers: headers)
        var head: [UInt8] = []
        HTTPResponseSerializer.writeHead(response, version: .http1_1, keepAlive: false,
                                         date: HTTPDateCache.shared.string(epochSeconds: time(nil)), into: &head)
        if case .bytes(let body) = response.body { head.append(contentsOf: body) }
        // Responses still owed for earlier pipelined requests are abandoned: the peer broke the stream.
        exchange.finished.removeAll()
        enqueue(head)
        closeAfterFlush = true
        context.server.metrics.protocolError()
    }

    /// Header-read timeout (slow clients) and idle keep-alive timeout.
    func sweepHTTP(_ exchange: HTTPExchange, now: Instant) {
        if let started = exchange.headStartedAt, !pending.isEmpty,
           now.seconds(since: started) > configuration.headerReadTimeoutSeconds {
            refuse(.requestTimeout, detail: "The request head did not arrive in time.", exchange: exchange)
            return
        }
        if bodyIsOverdue(exchange, now: now) {
            refuse(.requestTimeout, detail: "The request body arrived too slowly.", exchange: exchange)
            return
        }
        let idle = exchange.inFlight == 0 && outbound.isEmpty && exchange.streaming == nil
        if idle, now.seconds(since: lastReceived) > configuration.idleTimeoutSeconds { closeNow() }
    }
}
