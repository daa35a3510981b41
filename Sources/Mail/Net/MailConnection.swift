import Glibc
/// A line-oriented connection to a mail server: a blocking socket, optionally upgraded to TLS,
/// with a read buffer. SMTP and IMAP are both built on it. Not thread-safe: one client, one thread.
final class MailConnection {
    private let socket: TCPSocket
    private var tls: TLSSession?
    private var buffer: [UInt8] = []
    private var start = 0  // first unread byte in `buffer`
    private let endpoint: MailEndpoint

    /// Connects to `endpoint`, with the TLS handshake first for implicit TLS.
    init(endpoint: MailEndpoint, admit: ((UnsafePointer<sockaddr>) -> String?)? = nil) throws {
        self.endpoint = endpoint
        socket = try TCPSocket(host: endpoint.host, port: endpoint.port, timeoutSeconds: endpoint.timeoutSeconds, admit: admit)
        if endpoint.security == .implicitTLS { try startTLS() }
    }

    /// Whether the session is encrypted.
    var isEncrypted: Bool { tls != nil }
    var tlsVersion: String? { tls?.protocolVersion }

    /// Starts TLS on the open connection (after a STARTTLS exchange). Anything buffered before
    /// the handshake is discarded: RFC 3207 section 4 and RFC 3501 6.2.1 forbid trusting it.
    func startTLS() throws {
        buffer.removeAll()
        start = 0
        tls = try TLSSession(socket: socket, host: endpoint.host, verify: endpoint.verifyCertificate, caFile: endpoint.caFile)
    }

    /// Reads one line without its CRLF (a bare LF is accepted); throws when the line is longer
    /// than `maxBytes` or the connection closes first.
    func readLine(maxBytes: Int) throws -> [UInt8] {
        var scanFrom = start
        while true {
            if let lf = buffer[scanFrom...].firstIndex(of: 0x0A) {
                var end = lf
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = lf + 1
                compact()
                return line
            }
            guard buffer.count - start <= maxBytes else {
                throw MailConnectionError(.protocolViolation, "the server sent a line longer than \(maxBytes) bytes")
            }
            scanFrom = buffer.count
            try fill()
        }
    }

    /// Reads exactly `count` bytes (an IMAP literal).
    func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count - start < count { try fill() }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        compact()
        return bytes
    }

    /// Writes `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            if let tls { try tls.write(raw) } else { try socket.write(raw) }
        }
    }

    func write(_ text: String) throws { try write(Array(text.utf8)) }

    /// Waits up to `milliseconds` for something to read; true when there is.
    func waitReadable(milliseconds: Int32) -> Bool {
        if buffer.count > start || tls?.hasPendingBytes == true { return true }
        return socket.waitReadable(milliseconds: milliseconds)
    }

    /// Closes the connection (sending TLS close_notify first when encrypted).
    func close() {
        tls?.shutdown()
        socket.close()
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n = try chunk.withUnsafeMutableBytes { raw in
            try tls.map { try $0.read(raw.baseAddress!, raw.count) } ?? socket.read(raw.baseAddress!, raw.count)
        }
        guard n > 0 else { throw MailConnectionError(.closed, "the server closed the connection") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    /// Drops consumed bytes once they dominate the buffer, so it does not grow with the session.
    private func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start > 64 * 1024 && start > buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
