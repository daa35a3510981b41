import Foundation
import Realtime

/// Operator choices about who is believed and who may read what, from the command line.
public struct SecurityOptions: Sendable {
    /// Proxies whose `X-Forwarded-For` names the client (`--trusted-proxy`); none by default.
    public var trustedProxies: TrustedProxies = .none
    /// When set (`--metrics-token`), `/metrics` answers only `Authorization: Bearer <token>`,
    /// so counters about the deployment are not public.
    public var metricsToken: String?
    /// The server speaks TLS itself (`--tls-cert`): every response carries HSTS.
    public var strictTransportSecurity = false

    public init(trustedProxies: TrustedProxies = .none, metricsToken: String? = nil, strictTransportSecurity: Bool = false) {
        self.trustedProxies = trustedProxies
        self.metricsToken = metricsToken
        self.strictTransportSecurity = strictTransportSecurity
    }

    /// True when `request` may read `/metrics`: no token is configured, or it presents the
    /// token as a bearer credential (compared in constant time).
    func mayReadMetrics(_ request: HTTPRequest) -> Bool {
        guard let metricsToken else { return true }
        guard let header = request.headers["Authorization"] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].equalsIgnoringASCIICase("Bearer") else { return false }
        return SetupGate.constantTimeEqual(Array(parts[1].utf8), Array(metricsToken.utf8))
    }
}

/// The origin the browser addressed, as far as the request shows it: the `Host` header and
/// the scheme. Behind a TLS-terminating proxy the scheme is `X-Forwarded-Proto`; that header
/// is believed from anyone here because it only matters for checks against browsers (the
/// live endpoint's `Origin` check, the CSP), and a page cannot set it on a browser's request.
enum RequestOrigin {
    /// `https` when the request came over this server's own TLS or `X-Forwarded-Proto` says
    /// so, else `http`.
    static func scheme(of request: HTTPRequest) -> String {
        if request.isSecure { return "https" }
        let forwarded = request.headers["X-Forwarded-Proto"]?.split(separator: ",").first?.trimmingASCIISpaces().lowercased()
        return forwarded == "https" ? "https" : "http"
    }

    /// `ws://host[:port]` or `wss://host[:port]` for the request's `Host`, or nil when the
    /// header is absent or not a plain host name or address with an optional port (it is
    /// copied into a header, so nothing else may pass).
    static func webSocketOrigin(of request: HTTPRequest) -> String? {
        guard let host = request.headers["Host"], !host.isEmpty, host.utf8.count <= 255,
              host.utf8.allSatisfy({ isAuthorityByte($0) }) else { return nil }
        return (scheme(of: request) == "https" ? "wss://" : "ws://") + host.lowercased()
    }

    private static func isAuthorityByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }
}
