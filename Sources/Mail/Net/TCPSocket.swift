import Glibc

/// A blocking TCP connection with timeouts, for the mail clients' own threads (never an
/// event loop). Name resolution, connect and I/O failures become `MailConnectionError`s
/// that say which step failed.
final class TCPSocket {
    let fd: Int32
    private var closed = false

    /// Resolves `host` and connects to the first address that answers within `timeoutSeconds`.
    /// `admit` may refuse an address (returning why) before any packet is sent to it.
    init(host: String, port: Int, timeoutSeconds: Double, admit: ((UnsafePointer<sockaddr>) -> String?)? = nil) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw MailConnectionError(.nameResolution, "cannot resolve \(host): \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry?.pointee {
            entry = info.ai_next
            if let admit, let address = info.ai_addr, let refusal = admit(address) {
                lastError = refusal
                continue
            }
            let s = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            guard s >= 0 else { lastError = Self.errorText(errno); continue }
            if let error = Self.connect(s, info.ai_addr, info.ai_addrlen, timeoutSeconds) {
                lastError = error
                Glibc.close(s)
                continue
            }
            fd = s
            Self.setTimeouts(s, timeoutSeconds)
            return
        }
        let kind: MailConnectionError.Kind = lastError.hasPrefix("timed out") ? .timeout : .connect
        throw MailConnectionError(kind, "cannot connect to \(host) port \(port): \(lastError)")
    }

    deinit { close() }

    /// Connects with a deadline: non-blocking connect, then poll for writability.
    private static func connect(_ s: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, _ timeout: Double) -> String? {
        let flags = fcntl(s, F_GETFL)
        _ = fcntl(s, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(s, F_SETFL, flags) }
        if Glibc.connect(s, address, length) == 0 { return nil }
        guard errno == EINPROGRESS else { return errorText(errno) }
        var pfd = pollfd(fd: s, events: Int16(POLLOUT), revents: 0)
        var rc: Int32
        repeat { rc = poll(&pfd, 1, Int32(timeout * 1000)) } while rc < 0 && errno == EINTR
        if rc == 0 { return "timed out after \(timeout) s" }
        var error: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(s, SOL_SOCKET, SO_ERROR, &error, &size)
        return error == 0 ? nil : errorText(error)
    }

    private static func setTimeouts(_ s: Int32, _ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Reads up to `count` bytes into `buffer`; 0 means the peer closed.
    func read(_ buffer: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
        while true {
            let n = recv(fd, buffer, count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw MailConnectionError(.timeout, "the server did not answer in time") }
            throw MailConnectionError(.closed, "read failed: \(Self.errorText(errno))")
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw MailConnectionError(.timeout, "the server stopped reading") }
            throw MailConnectionError(.closed, "write failed: \(Self.errorText(errno))")
        }
    }

    /// Waits until the socket is readable or `milliseconds` pass; true when readable.
    func waitReadable(milliseconds: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var rc: Int32
        repeat { rc = poll(&pfd, 1, milliseconds) } while rc < 0 && errno == EINTR
        return rc > 0
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }
}
