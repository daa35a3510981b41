import COpenSSL
import Glibc

/// An OpenSSL client session over a connected socket: TLS 1.2 or later, the system's trust
/// store (or a given CA file), SNI, and host name verification, all on by default.
final class TLSSession {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private var shutDown = false

    /// Performs the handshake with `host` over `socket`; throws `.certificate` with OpenSSL's
    /// verification reason when the chain or the name does not check out, `.tls` otherwise.
    init(socket: TCPSocket, host: String, verify: Bool, caFile: String?) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw MailConnectionError(.tls, "cannot create a TLS context") }
        self.context = context
        SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        if verify {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            let loaded = caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) } ?? SSL_CTX_set_default_verify_paths(context)
            guard loaded == 1 else {
                SSL_CTX_free(context)
                throw MailConnectionError(.tls, "cannot load trusted certificates\(caFile.map { " from \($0)" } ?? ""): \(Self.lastError())")
            }
        }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw MailConnectionError(.tls, "cannot create a TLS session")
        }
        self.ssl = ssl
        SSL_set_fd(ssl, socket.fd)
        let isIP = Self.isIPAddress(host)
        if !isIP { _ = host.withCString { SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: $0)) } }
        if verify {
            if isIP { X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) } else { SSL_set1_host(ssl, host) }
        }
        ERR_clear_error()
        let rc = SSL_connect(ssl)
        guard rc == 1 else {
            let verifyResult = SSL_get_verify_result(ssl)
            let failure: MailConnectionError
            if verify && verifyResult != X509_V_OK {
                failure = MailConnectionError(.certificate, "the certificate of \(host) is not trusted: \(String(cString: X509_verify_cert_error_string(verifyResult)))")
            } else if SSL_get_error(ssl, rc) == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK) {
                failure = MailConnectionError(.timeout, "the TLS handshake with \(host) timed out")
            } else {
                failure = MailConnectionError(.tls, "the TLS handshake with \(host) failed: \(Self.lastError())")
            }
            SSL_free(ssl)
            SSL_CTX_free(context)
            shutDown = true
            throw failure
        }
    }

    deinit {
        guard !shutDown else { return }
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// The negotiated protocol, e.g. "TLSv1.3".
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// Bytes already decrypted and waiting, which `poll` on the socket cannot see.
    var hasPendingBytes: Bool { SSL_pending(ssl) > 0 }

    /// Reads up to `count` bytes; 0 means the peer closed the session.
    func read(_ buffer: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
        ERR_clear_error()
        let n = SSL_read(ssl, buffer, Int32(min(count, Int(Int32.max))))
        if n > 0 { return Int(n) }
        let code = SSL_get_error(ssl, n)
        if code == SSL_ERROR_ZERO_RETURN { return 0 }
        if code == SSL_ERROR_SYSCALL {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw MailConnectionError(.timeout, "the server did not answer in time") }
            if n == 0 { return 0 }
        }
        throw MailConnectionError(.tls, "TLS read failed: \(Self.lastError())")
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let n = SSL_write(ssl, bytes.baseAddress! + offset, Int32(min(bytes.count - offset, Int(Int32.max))))
            if n > 0 { offset += Int(n); continue }
            if SSL_get_error(ssl, n) == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw MailConnectionError(.timeout, "the server stopped reading")
            }
            throw MailConnectionError(.tls, "TLS write failed: \(Self.lastError())")
        }
    }

    /// Sends close_notify (best effort: the socket closes right after).
    func shutdown() {
        guard !shutDown else { return }
        SSL_shutdown(ssl)
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "\(TCPSocket.errorText(errno))" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr(), v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
