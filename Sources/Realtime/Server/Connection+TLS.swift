import Glibc

/// The TLS transport under a connection: the same reads into the loop's shared buffer
/// and the same corked outbound queue as the plain path, with OpenSSL decrypting what
/// the socket delivers and encrypting what the queue holds.
extension Connection {
    /// Reads and decrypts until OpenSSL needs more from the socket (bounded for fairness).
    func readTLS(_ tls: TLSSession) {
        lastReceived = loop.now
        let wantedWritable = tls.readWantsWritable
        // A read that no longer waits for writability drops EPOLLOUT again (level-triggered:
        // left registered it would fire on every iteration).
        defer { if wantedWritable, !tls.readWantsWritable, !isClosed { updateInterest() } }
        var budget = 16
        while budget > 0, !readPaused, !isClosed {
            budget -= 1
            let buffer = context.readBuffer
            switch tls.read(into: buffer) {
            case .bytes(let n):
                consume(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                // Nothing buffered in OpenSSL: stop here rather than pay a read that would
                // only say EAGAIN (epoll reports the socket again if more arrived).
                if !tls.hasBufferedInput { return }
            case .wantRead:
                return
            case .wantWrite:
                updateInterest()
                return
            case .closed:
                peerClosed()
                return
            case .failed:
                // A refused version or cipher, a bad record: OpenSSL has already sent the alert.
                context.server.metrics.tlsFailure()
                closeNow()
                return
            case .cleartextHTTP:
                context.server.metrics.tlsFailure()
                answerCleartextRequest()
                closeNow()
                return
            }
        }
        // Out of budget with records already buffered by OpenSSL: epoll will not report
        // them, so come back after the other connections had their turn.
        if budget == 0, !isClosed, tls.hasBufferedInput {
            loop.execute { [self] in if !isClosed { readAvailable() } }
        }
    }

    /// What a browser that typed http:// for this HTTPS port shows: one plain 400 written
    /// straight to the socket (best effort; the connection closes right after).
    private static let cleartextAnswer: [UInt8] = {
        let body = #"{"type":"about:blank","title":"Bad Request","status":400,"detail":"This port speaks HTTPS: use an https:// URL."}"#
        return Array(("HTTP/1.1 400 Bad Request\r\nContent-Type: application/problem+json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
    }()

    private func answerCleartextRequest() {
        _ = Self.cleartextAnswer.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Encrypts and writes the queue one record (up to 16 KiB of queued chunks, so many
    /// small frames share a record) per `SSL_write`. Returns true when the queue is empty,
    /// false after a short write (wait for EPOLLOUT), nil when the session failed.
    func writeTLS(_ tls: TLSSession) -> Bool? {
        let scratch = context.tlsScratch
        while !outbound.isEmpty {
            // After a short write this copies the same bytes again (plus any queued since),
            // which is what OpenSSL requires of the retry.
            let count = outbound.peek(into: scratch)
            switch tls.write(UnsafeRawBufferPointer(rebasing: scratch[0..<count])) {
            case .wrote(let n): outbound.removeFirst(n)
            case .wantWrite: return false
            case .failed: return nil
            }
        }
        return true
    }
}
