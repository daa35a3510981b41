/// Where the certificate and key live when the server speaks HTTPS and WSS itself.
///
/// Both files are PEM. They are read at `Server.start()` and again on every
/// `Server.reloadTLS()` (SIGHUP), so a renewed certificate takes effect without a restart.
public struct TLSConfiguration: Sendable, Equatable {
    /// The server certificate first, then any intermediate certificates (a chain).
    public var certificateChainPath: String
    /// The private key of the certificate (RSA or EC), unencrypted.
    public var privateKeyPath: String

    public init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}

/// The protocol versions and ciphers the server accepts: TLS 1.2 and 1.3 only, and in
/// TLS 1.2 only forward-secret key exchange (ECDHE) with authenticated encryption (AEAD).
/// This is Mozilla's "intermediate" server profile without finite-field DHE. The minimum
/// version and the other options that OpenSSL exposes only as macros are applied by
/// `csys_tls_apply_policy`.
enum TLSPolicy {
    /// TLS 1.2 cipher suites, strongest first (the server's order wins).
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
        "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
        "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")
    /// TLS 1.3 suites (all three are AEAD; listed to pin them).
    static let tls13Suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
    /// Key-exchange groups: X25519 first (fast, safe), then the NIST curves browsers offer.
    static let groups = "X25519:P-256:P-384"
    /// The most plaintext one `SSL_write` takes: one full TLS record (RFC 8446 section 5.1).
    static let maxRecordPlaintextBytes = 16 * 1024
}
