/// A close status code (RFC 6455 section 7.4, IANA "WebSocket Close Code Number Registry").
public struct WebSocketCloseCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// Reported locally when a close frame carried no code; never sent on the wire.
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// Reported locally when the TCP connection ended without a close frame; never on the wire.
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    public static let invalidPayload = WebSocketCloseCode(rawValue: 1007)
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    public static let serviceRestart = WebSocketCloseCode(rawValue: 1012)
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)
    public static let badGateway = WebSocketCloseCode(rawValue: 1014)

    /// Whether a peer may send this code in a close frame (RFC 6455 section 7.4.1-7.4.2).
    ///
    /// Valid: 1000-1003, 1007-1014 (1012-1014 registered with IANA after the RFC),
    /// 3000-4999 (libraries and applications). Invalid: below 1000, 1004 (reserved),
    /// 1005, 1006 and 1015 (local-only), 1016-2999 (unassigned). This matches the
    /// Autobahn cases 7.7.* (valid) and 7.9.* (0, 999, 1004-1006, 1016, 1100, 2000, 2999).
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    public var description: String { String(rawValue) }
}
