/// Limits the request parser enforces, each as soon as the relevant length is known.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line plus header section, in bytes (431; a request line alone past it gets 414).
    /// 16 KiB: large cookies and tokens fit, a slowloris of endless headers does not.
    public var maxHeaderBytes: Int
    /// Header field lines per request (431). 100: browsers send about 20.
    public var maxHeaderCount: Int
    /// Body bytes per request (413), the ceiling for every route (`Server.bodyPolicy` gives
    /// routes their own limit under it). 12 MiB: a 10 MB file plus multipart overhead.
    public var maxBodyBytes: Int

    /// Limits with the defaults above.
    public init(maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 12 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderCount = maxHeaderCount
        self.maxBodyBytes = maxBodyBytes
    }
}

/// Why a request could not be parsed; each case knows the status to answer with.
/// After any of them the connection must be closed once the answer is flushed.
public enum HTTPParseError: Error, Equatable, Sendable {
    /// Bad syntax or ambiguous framing (400), with a short reason safe to log and send.
    case malformed(String)
    /// Request line plus headers exceed `maxHeaderBytes` (431).
    case headerTooLarge
    /// More than `maxHeaderCount` header fields (431).
    case tooManyHeaders
    /// The declared or received body exceeds `maxBodyBytes` (413).
    case bodyTooLarge
    /// A transfer coding other than a final `chunked` that we do not implement (501).
    case unsupportedTransferCoding
    /// An HTTP version other than 1.0 and 1.1 (505).
    case unsupportedVersion
    /// The request line alone exceeds `maxHeaderBytes` (414).
    case uriTooLong

    /// The status to answer with.
    public var status: HTTPStatus {
        switch self {
        case .malformed: .badRequest
        case .headerTooLarge, .tooManyHeaders: .requestHeaderFieldsTooLarge
        case .bodyTooLarge: .contentTooLarge
        case .unsupportedTransferCoding: .notImplemented
        case .unsupportedVersion: .httpVersionNotSupported
        case .uriTooLong: .uriTooLong
        }
    }
}

extension HTTPParseError: HTTPError {
    /// A short human-readable explanation for the problem+json body.
    public var detail: String {
        switch self {
        case .malformed(let reason): reason
        case .headerTooLarge: "request header section too large"
        case .tooManyHeaders: "too many header fields"
        case .bodyTooLarge: "request body too large"
        case .unsupportedTransferCoding: "unsupported transfer coding"
        case .unsupportedVersion: "unsupported HTTP version"
        case .uriTooLong: "request target too long"
        }
    }

    /// Parse errors do not name a field.
    public var field: String? { nil }
}
