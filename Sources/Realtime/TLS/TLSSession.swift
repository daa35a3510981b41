import COpenSSL
import Glibc

/// One connection's TLS state: an OpenSSL `SSL` that reads and writes the connection's
/// non-blocking socket itself. Every call returns at once; `wantRead` and `wantWrite` say
/// what the socket must become before the call can make progress. Touched only on the
/// connection's loop thread.
final class TLSSession {
    enum ReadResult {
        /// Plaintext bytes placed at the start of the buffer.
        case bytes(Int)
        /// Nothing more until the socket is readable (the normal end of a read burst).
        case wantRead
        /// The handshake must send before it can read on: wait until the socket is writable.
        case wantWrite
        /// The peer ended the stream (close_notify or end of file).
        case closed
        /// A TLS failure (a refused protocol version or cipher, a bad record); close.
        case failed(String)
        /// The peer sent a cleartext HTTP request instead of a ClientHello (OpenSSL sends
        /// no alert then, so a plain HTTP answer can still reach it).
        case cleartextHTTP
    }

    enum WriteResult {
        /// Bytes taken (one whole record's plaintext).
        case wrote(Int)
        /// The socket is full; retry the same bytes (or more) when it is writable.
        case wantWrite
        case failed(String)
    }

    private let ssl: OpaquePointer
    /// When the connection was accepted: the handshake must finish within the header-read timeout.
    let startedAt: Instant
    /// A read (during the handshake, usually) waits for the socket to become writable.
    private(set) var readWantsWritable = false
    /// After a fatal error OpenSSL forbids further calls, including the close_notify.
    private var failed = false

    init(ssl: OpaquePointer, startedAt: Instant) {
        self.ssl = ssl
        self.startedAt = startedAt
    }

    deinit { SSL_free(ssl) }

    /// The handshake finished (the sweep closes connections that do not get there in time).
    var isEstablished: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Whether OpenSSL holds received bytes not yet returned (epoll will not report them).
    var hasBufferedInput: Bool { !failed && SSL_has_pending(ssl) == 1 }

    /// Decrypts what has arrived into `buffer` (driving the handshake first if needed).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> ReadResult {
        let n = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 {
            readWantsWritable = false
            return .bytes(Int(n))
        }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ:
            readWantsWritable = false
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            readWantsWritable = true
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_SYSCALL where n == 0 || errno == ECONNRESET || errno == EPIPE:
            failed = true
            ERR_clear_error()
            return .closed
        default:
            let first = ERR_peek_error()
            let reason = fail()
            if ERR_GET_REASON(first) == SSL_R_HTTP_REQUEST { return .cleartextHTTP }
            return .failed(reason)
        }
    }

    /// Encrypts `bytes` (at most one record, `TLSPolicy.maxRecordPlaintextBytes`) and
    /// writes it to the socket. After `.wantWrite` the next call must pass the same bytes
    /// again, possibly followed by more (OpenSSL resends the record it already built).
    func write(_ bytes: UnsafeRawBufferPointer) -> WriteResult {
        let n = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        if n > 0 { return .wrote(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        default:
            // WANT_READ cannot happen here: renegotiation is off and TLS 1.3 key updates
            // are answered by reads. Anything else is fatal.
            return .failed(fail())
        }
    }

    /// Sends close_notify if the session is healthy (one non-blocking attempt; the socket
    /// is closed right after either way).
    func shutdown() {
        guard !failed, isEstablished else { return }
        if SSL_shutdown(ssl) < 0 { ERR_clear_error() }
    }

    private func fail() -> String {
        failed = true
        let reasons = TLSError.drainErrorQueue()
        return reasons.first ?? "TLS error"
    }
}
