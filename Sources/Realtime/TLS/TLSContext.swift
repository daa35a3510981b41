import COpenSSL
import CSystem
import Glibc
import Synchronization

/// The server's OpenSSL context (certificate chain, key and policy), shared by every loop.
///
/// A reload builds a whole new context and swaps it in: connections accepted afterwards
/// use the new certificate, while open ones keep the context they were made from (each
/// `SSL` holds its own reference). A failed reload leaves the current context in place.
final class TLSContext: Sendable {
    /// An `SSL_CTX *`. OpenSSL documents the context as safe to share between threads once
    /// configured; it is never changed after `load`, only replaced.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    let configuration: TLSConfiguration
    private let current: Mutex<Handle>
    /// What the current certificate is, for log lines.
    let certificate: Mutex<TLSCertificateInfo>

    /// Loads the certificate chain and key. Throws `TLSError` naming the file and
    /// OpenSSL's reason when either cannot be used.
    init(_ configuration: TLSConfiguration) throws(TLSError) {
        self.configuration = configuration
        let (context, info) = try Self.load(configuration)
        current = Mutex(Handle(pointer: context))
        certificate = Mutex(info)
    }

    deinit {
        current.withLock { SSL_CTX_free($0.pointer) }
    }

    /// Reads the files again and, if they are usable, makes them the context for new
    /// connections. Returns the new certificate's details; throws (keeping the old
    /// context) when they are not usable.
    @discardableResult
    func reload() throws(TLSError) -> TLSCertificateInfo {
        let (fresh, info) = try Self.load(configuration)
        let old = current.withLock { handle in
            let old = handle
            handle = Handle(pointer: fresh)
            return old
        }
        SSL_CTX_free(old.pointer)
        certificate.withLock { $0 = info }
        return info
    }

    /// A server-side TLS session on the accepted, non-blocking socket `fd`; nil only when
    /// OpenSSL cannot allocate one.
    func makeSession(fd: Int32, now: Instant) -> TLSSession? {
        // SSL_new takes its own reference to the context under the lock, so a concurrent
        // reload cannot free the context between reading the pointer and using it.
        let ssl = current.withLock { SSL_new($0.pointer) }
        guard let ssl else {
            ERR_clear_error()
            return nil
        }
        guard SSL_set_fd(ssl, fd) == 1 else {
            ERR_clear_error()
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        return TLSSession(ssl: ssl, startedAt: now)
    }

    private static func load(_ configuration: TLSConfiguration) throws(TLSError) -> (OpaquePointer, TLSCertificateInfo) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .openSSL("cannot create a TLS context") }
        do {
            try configure(context, configuration)
            return (context, TLSCertificateInfo(context))
        } catch {
            SSL_CTX_free(context)
            throw error
        }
    }

    private static func configure(_ context: OpaquePointer, _ configuration: TLSConfiguration) throws(TLSError) {
        let raw = UnsafeMutableRawPointer(context)
        guard csys_tls_apply_policy(raw) == 1,
              csys_tls_set_groups(raw, TLSPolicy.groups) == 1,
              SSL_CTX_set_cipher_list(context, TLSPolicy.tls12Ciphers) == 1,
              SSL_CTX_set_ciphersuites(context, TLSPolicy.tls13Suites) == 1
        else { throw .openSSL("cannot apply the TLS policy") }
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainPath) == 1 else {
            throw .openSSL("cannot load the certificate chain from \(configuration.certificateChainPath)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw .openSSL("cannot load the private key from \(configuration.privateKeyPath)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .openSSL("the private key in \(configuration.privateKeyPath) does not match the certificate")
        }
    }
}

/// The facts about a loaded certificate that an operator checks after a reload.
public struct TLSCertificateInfo: Sendable, CustomStringConvertible {
    /// The subject, one line (`/CN=help.example.com`).
    public let subject: String
    /// The serial number in upper-case hexadecimal.
    public let serial: String
    /// The end of validity as `YYYY-MM-DD` (UTC).
    public let notAfter: String

    public var description: String { "\(subject), serial \(serial), valid until \(notAfter)" }

    init(_ context: OpaquePointer) {
        guard let certificate = SSL_CTX_get0_certificate(context) else {
            subject = "?"; serial = "?"; notAfter = "?"
            return
        }
        if let name = X509_NAME_oneline(X509_get_subject_name(certificate), nil, 0) {
            subject = String(cString: name)
            CRYPTO_free(name, nil, 0)
        } else {
            subject = "?"
        }
        if let number = ASN1_INTEGER_to_BN(X509_get_serialNumber(certificate), nil) {
            if let hex = BN_bn2hex(number) {
                serial = String(cString: hex)
                CRYPTO_free(hex, nil, 0)
            } else {
                serial = "?"
            }
            BN_free(number)
        } else {
            serial = "?"
        }
        var time = tm()
        if ASN1_TIME_to_tm(X509_get0_notAfter(certificate), &time) == 1 {
            notAfter = "\(time.tm_year + 1900)-\(Self.twoDigits(time.tm_mon + 1))-\(Self.twoDigits(time.tm_mday))"
        } else {
            notAfter = "?"
        }
    }

    private static func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
