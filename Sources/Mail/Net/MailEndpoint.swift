/// Where a mail server is and how to talk to it safely.
public struct MailEndpoint: Sendable, Equatable {
    public enum Security: String, Sendable, Equatable {
        /// TLS from the first byte (SMTP submission on 465, RFC 8314; IMAP on 993).
        case implicitTLS = "tls"
        /// Plain text upgraded with STARTTLS before anything else (SMTP on 587, IMAP on 143).
        /// If the server does not offer STARTTLS the connection fails: no silent downgrade.
        case startTLS = "starttls"
        /// No encryption at all: only for a relay on the same host. Credentials are never sent
        /// over such a connection.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    /// Verify the server's certificate chain and host name (the default). Turning it off is an
    /// explicit administrator choice for a self-signed server.
    public var verifyCertificate: Bool
    /// A PEM file of trusted CAs instead of the system's store (for a private CA).
    public var caFile: String?
    /// Connect, TLS handshake and each read or write; a server silent for longer is a failure.
    public var timeoutSeconds: Double

    public init(host: String, port: Int, security: Security, verifyCertificate: Bool = true,
                caFile: String? = nil, timeoutSeconds: Double = 30) {
        self.host = host
        self.port = port
        self.security = security
        self.verifyCertificate = verifyCertificate
        self.caFile = caFile
        self.timeoutSeconds = timeoutSeconds
    }
}

/// Why talking to a mail server failed, precisely enough to show an administrator what to fix.
public struct MailConnectionError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case nameResolution = "name resolution"
        case connect
        case timeout
        case tls
        case certificate
        case closed = "connection closed"
        case protocolViolation = "protocol"
        case authentication
        case mailbox
        case rejected
        case tooLarge = "too large"
    }

    public let kind: Kind
    public let message: String
    /// The server's reply code, for SMTP (e.g. 550).
    public let replyCode: Int?
    /// True when the server may have taken the message although we did not hear it say so
    /// (the connection broke after the final "." of DATA): retrying can deliver it twice.
    public let outcomeUnknown: Bool

    init(_ kind: Kind, _ message: String, replyCode: Int? = nil, outcomeUnknown: Bool = false) {
        self.kind = kind
        self.message = message
        self.replyCode = replyCode
        self.outcomeUnknown = outcomeUnknown
    }

    /// A failure that retrying will not fix: a 5xx reply, bad credentials, a bad certificate,
    /// a missing folder, a message too large. Connection trouble and 4xx replies are temporary.
    public var isPermanent: Bool {
        if let code = replyCode { return code >= 500 }
        switch kind {
        case .authentication, .certificate, .mailbox, .rejected, .tooLarge: return true
        case .nameResolution, .connect, .timeout, .tls, .closed, .protocolViolation: return false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
