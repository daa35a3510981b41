import Foundation

/// How long sessions live. A session ends when it has been idle longer than
/// `idleTimeoutSeconds` or exists longer than `absoluteLifetimeSeconds`, whichever is first.
public struct SessionPolicy: Sendable {
    /// Idle limit: a working day away from the desk ends the session.
    public var idleTimeoutSeconds: TimeInterval = 12 * 3600
    /// Hard limit: re-authenticate at least weekly even when active.
    public var absoluteLifetimeSeconds: TimeInterval = 7 * 86_400
    /// Minimum time between `last_seen_at` writes, so each request does not hit the writer.
    public var touchIntervalSeconds: TimeInterval = 60

    public init() {}

    /// True when a session created at `createdAt` and last seen at `lastSeenAt` has expired at `now`.
    func isExpired(createdAt: Date, lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) > idleTimeoutSeconds
            || now.timeIntervalSince(createdAt) > absoluteLifetimeSeconds
    }
}

/// What login returns: the session token (shown once; only its SHA-256 is stored), the
/// CSRF token to echo in a header on unsafe requests, and who signed in.
public struct SessionGrant: Sendable {
    public let token: String
    public let csrfToken: String
    public let principal: Principal
}

/// A session resolved from its token.
public struct AuthenticatedSession: Sendable {
    public let principal: Principal
    public let csrfToken: String
    public let createdAt: Date
    public let lastSeenAt: Date
}

/// Secret tokens: 32 random bytes as URL-safe base64; stored as SHA-256 only.
enum SecretToken {
    /// A new random token, optionally with a readable `prefix`.
    static func generate(prefix: String = "") -> String { prefix + Encoding.base64URL(Crypto.randomBytes(32)) }
    /// The stored form of `token`.
    static func digest(_ token: String) -> [UInt8] { Crypto.sha256(token) }
}
