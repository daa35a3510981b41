import Foundation

extension AccountService {
    /// Longest password a sign-in may present: PBKDF2 pre-hashes long keys, but nobody types more.
    public static let maxLoginPasswordBytes = 1024

    /// Signs in with email and password from `ip` (the client's address). The attempt is
    /// recorded and throttled before the password is checked (`LoginThrottle`); on success
    /// it deletes the session the browser presented (`previousToken`, rotation on login),
    /// forgets this address's failures for the email, remembers the address as known and
    /// returns a new session. Throws `.validation` for an email or password too long to be
    /// real, `.throttled` (with `retryAfterSeconds`) while a delay runs or the hashing queue
    /// is full, `.unauthenticated` for a wrong email, password or inactive account.
    public func login(email rawEmail: String, password: String, ip: String, previousToken: String? = nil) async throws -> SessionGrant {
        let email = try Self.loginEmail(rawEmail)
        try Self.checkPresentedPassword(password, field: "password")
        let check = try await checkPassword(password, email: email, address: ip)
        guard let agent = check.agent, agent.active else { throw DomainError(.unauthenticated, "Invalid email or password.") }
        let at = now()
        let throttle = self.throttle
        let token = SecretToken.generate()
        let csrf = SecretToken.generate()
        let principal = try await database.write { db in
            try Self.recordSuccess(check, at: at, knownFor: throttle.knownAddressSeconds, db)
            if let previousToken { try SessionRecord.delete(digest: SecretToken.digest(previousToken), db) }
            try SessionRecord.insert(digest: SecretToken.digest(token), agent: agent.id, csrfToken: csrf, at: at, db)
            return try Self.principal(agent.id, db)
        }
        return SessionGrant(token: token, csrfToken: csrf, principal: principal)
    }

    /// The outcome of one throttled password check.
    struct PasswordCheck: Sendable {
        let attemptID: Int64
        let email: String
        let address: String
        /// The account, when the email exists and the password matched.
        let agent: Agent?
    }

    /// Records an attempt for `email` from `address` (as failed until proven right), refuses
    /// it when the throttle says to wait, then verifies `password` on the hashing threads
    /// (against a dummy hash when the email is unknown, at the same cost). Throws
    /// `.throttled`; an attempt the hashing queue had no room for is forgotten again.
    func checkPassword(_ password: String, email: String, address rawAddress: String) async throws -> PasswordCheck {
        let address = String(rawAddress.prefix(Self.maxAddressLength))
        let at = now()
        let throttle = self.throttle
        let (attemptID, account) = try await database.write { db in
            var history = LoginThrottle.History()
            let horizon = throttle.horizon(at)
            history.accountAttempts = try LoginAttemptRecord.attempts(email: email, after: horizon, db)
            history.addressAttempts = try LoginAttemptRecord.attempts(address: address, after: horizon, db)
            history.knownAddress = try LoginAttemptRecord.isKnown(
                address: address, email: email, after: at.addingTimeInterval(-throttle.knownAddressSeconds), db)
            if let retryAt = throttle.retryAt(history, address: address, now: at) {
                throw DomainError(.throttled, "Too many sign-in attempts. Try again later.",
                                  retryAfterSeconds: max(1, Int(retryAt.timeIntervalSince(at).rounded(.up))))
            }
            try LoginAttemptRecord.deleteAttempts(before: horizon, db)
            let insertedID = try LoginAttemptRecord.insertFailure(email: email, address: address, at: at, db)
            return (insertedID, try AgentRecord.withHash(email: email, db))
        }
        let hasher = self.hasher, stored = account?.1 ?? dummyHash
        let valid: Bool
        do {
            valid = try await hashing.run { hasher.verify(password, against: stored) }
        } catch {
            try await database.write { db in try LoginAttemptRecord.delete(attemptID, db) }
            throw error
        }
        return PasswordCheck(attemptID: attemptID, email: email, address: address, agent: valid ? account?.0 : nil)
    }

    /// Marks a checked attempt as successful: it stops counting as a failure (it still counts
    /// toward the per-minute rates), the address's earlier failures for the email are
    /// forgotten, and the address becomes known for the email (addresses unused for longer
    /// than `knownAddressSeconds` are forgotten).
    static func recordSuccess(_ check: PasswordCheck, at: Date, knownFor seconds: TimeInterval, _ db: Connection) throws {
        try LoginAttemptRecord.markSucceeded(check.attemptID, email: check.email, address: check.address, db)
        try LoginAttemptRecord.remember(address: check.address, email: check.email, at: at,
                                        forgetBefore: at.addingTimeInterval(-seconds), db)
    }

    /// Longest client address stored with an attempt (an IPv6 address with a zone fits).
    static let maxAddressLength = 64

    /// The sign-in email trimmed and lower-cased; `.validation` when longer than an address
    /// can be (RFC 5321: 254) or containing NUL, so no failed sign-in stores an unbounded value.
    static func loginEmail(_ raw: String) throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        try TextLimit.check(email, field: "email", max: EmailAddress.maxLength)
        return email
    }

    /// `.validation` on `field` for a presented password longer than `maxLoginPasswordBytes`.
    static func checkPresentedPassword(_ password: String, field: String) throws {
        guard password.utf8.count <= maxLoginPasswordBytes else {
            throw DomainError.validation(field, "Use at most \(maxLoginPasswordBytes) bytes.")
        }
    }

    /// Resolves a session token at the injected `now`, sliding its idle expiry (written at
    /// most once per `touchIntervalSeconds`). Throws `.unauthenticated` when unknown, expired
    /// (and then deletes it) or the agent is inactive.
    public func authenticate(sessionToken token: String) async throws -> AuthenticatedSession {
        let at = now()
        let digest = SecretToken.digest(token)
        let found = try await database.read { db in try SessionRecord.find(digest: digest, db) }
        guard let session = found else { throw DomainError(.unauthenticated, "Sign in to continue.") }
        let createdAt = session.createdAt, lastSeenAt = session.lastSeenAt
        if sessionPolicy.isExpired(createdAt: createdAt, lastSeenAt: lastSeenAt, now: at) {
            try await database.write { db in try SessionRecord.delete(digest: digest, db) }
            throw DomainError(.unauthenticated, "Your session has expired. Sign in again.")
        }
        if at.timeIntervalSince(lastSeenAt) >= sessionPolicy.touchIntervalSeconds {
            try await database.write { db in try SessionRecord.touch(digest: digest, at: at, db) }
        }
        let principal = try await self.principal(for: session.agentID)
        guard principal.agent.active else { throw DomainError(.unauthenticated, "This account is disabled.") }
        return AuthenticatedSession(principal: principal, csrfToken: session.csrfToken, createdAt: createdAt,
                                    lastSeenAt: max(lastSeenAt, at))
    }

    /// True when `presented` equals the session's CSRF token (constant-time).
    public func verifyCSRF(_ presented: String, for session: AuthenticatedSession) -> Bool {
        Crypto.constantTimeEqual(Array(presented.utf8), Array(session.csrfToken.utf8))
    }

    /// Ends the session with `token` (sign out). Unknown tokens are ignored.
    public func logout(sessionToken token: String) async throws {
        let at = now()
        try await database.write { db in
            let digest = SecretToken.digest(token)
            guard let agent = try SessionRecord.find(digest: digest, db)?.agentID else { return }
            try SessionRecord.delete(digest: digest, db)
            try EventLog.append([.access(.sessionEnded(agent))], by: EventActor(kind: .agent, id: agent.rawValue, name: nil), at: at, db)
        }
    }

    /// Deletes every session idle or older than the policy allows at `now`; returns how many.
    @discardableResult
    public func purgeExpiredSessions() async throws -> Int {
        let at = now()
        let idle = at.addingTimeInterval(-sessionPolicy.idleTimeoutSeconds)
        let born = at.addingTimeInterval(-sessionPolicy.absoluteLifetimeSeconds)
        return try await database.write { db in
            let (agents, purged) = try SessionRecord.purge(idleBefore: idle, bornBefore: born, db)
            try EventLog.append(agents.map { .access(.sessionEnded($0)) }, by: .system, at: at, db)
            return purged
        }
    }
}
