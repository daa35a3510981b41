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
            if let previousToken {
                try db.run("DELETE FROM sessions WHERE token_hash = ?", [.blob(SecretToken.digest(previousToken))])
            }
            try db.run("""
                INSERT INTO sessions (token_hash, agent_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
                """, [.blob(SecretToken.digest(token)), .integer(agent.id.rawValue), .text(csrf), .date(at), .date(at)])
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
            history.accountAttempts = try db.query(
                "SELECT at, address, failed FROM login_attempts WHERE email = ? AND at > ?", [.text(email), .date(horizon)]
            ).map { LoginThrottle.Attempt(at: $0.date(0), address: $0.text(1), failed: $0.bool(2)) }
            history.addressAttempts = try db.query(
                "SELECT at, address, failed FROM login_attempts WHERE address = ? AND at > ?", [.text(address), .date(horizon)]
            ).map { LoginThrottle.Attempt(at: $0.date(0), address: $0.text(1), failed: $0.bool(2)) }
            history.knownAddress = try db.first(
                "SELECT 1 FROM login_known_addresses WHERE email = ? AND address = ? AND at > ?",
                [.text(email), .text(address), .date(at.addingTimeInterval(-throttle.knownAddressSeconds))]) != nil
            if let retryAt = throttle.retryAt(history, address: address, now: at) {
                throw DomainError(.throttled, "Too many sign-in attempts. Try again later.",
                                  retryAfterSeconds: max(1, Int(retryAt.timeIntervalSince(at).rounded(.up))))
            }
            try db.run("DELETE FROM login_attempts WHERE at < ?", [.date(horizon)])
            let insertedID = try db.insert("INSERT INTO login_attempts (email, address, at, failed) VALUES (?, ?, ?, 1)",
                       [.text(email), .text(address), .date(at)])
            return (insertedID, try Agent.withHash(email: email, db))
        }
        let hasher = self.hasher, stored = account?.1 ?? dummyHash
        let valid: Bool
        do {
            valid = try await hashing.run { hasher.verify(password, against: stored) }
        } catch {
            try await database.write { db in try db.run("DELETE FROM login_attempts WHERE id = ?", [.integer(attemptID)]) }
            throw error
        }
        return PasswordCheck(attemptID: attemptID, email: email, address: address, agent: valid ? account?.0 : nil)
    }

    /// Marks a checked attempt as successful: it stops counting as a failure (it still counts
    /// toward the per-minute rates), the address's earlier failures for the email are
    /// forgotten, and the address becomes known for the email (addresses unused for longer
    /// than `knownAddressSeconds` are forgotten).
    static func recordSuccess(_ check: PasswordCheck, at: Date, knownFor seconds: TimeInterval, _ db: Connection) throws {
        try db.run("UPDATE login_attempts SET failed = 0 WHERE id = ?", [.integer(check.attemptID)])
        try db.run("DELETE FROM login_attempts WHERE email = ? AND address = ? AND failed = 1",
                   [.text(check.email), .text(check.address)])
        try db.run("""
            INSERT INTO login_known_addresses (email, address, at) VALUES (?, ?, ?)
            ON CONFLICT (email, address) DO UPDATE SET at = excluded.at
            """, [.text(check.email), .text(check.address), .date(at)])
        try db.run("DELETE FROM login_known_addresses WHERE at < ?", [.date(at.addingTimeInterval(-seconds))])
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
        let found = try await database.read { db in
            try db.first("SELECT agent_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?", [.blob(digest)])
        }
        guard let row = found else { throw DomainError(.unauthenticated, "Sign in to continue.") }
        let createdAt = row.date(2), lastSeenAt = row.date(3)
        if sessionPolicy.isExpired(createdAt: createdAt, lastSeenAt: lastSeenAt, now: at) {
            try await database.write { db in try db.run("DELETE FROM sessions WHERE token_hash = ?", [.blob(digest)]) }
            throw DomainError(.unauthenticated, "Your session has expired. Sign in again.")
        }
        if at.timeIntervalSince(lastSeenAt) >= sessionPolicy.touchIntervalSeconds {
            try await database.write { db in
                try db.run("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", [.date(at), .blob(digest)])
            }
        }
        let principal = try await self.principal(for: AgentID(row.int64(0)))
        guard principal.agent.active else { throw DomainError(.unauthenticated, "This account is disabled.") }
        return AuthenticatedSession(principal: principal, csrfToken: row.text(1), createdAt: createdAt,
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
            guard let agent = try db.first("SELECT agent_id FROM sessions WHERE token_hash = ?", [.blob(digest)])?.int64(0) else { return }
            try db.run("DELETE FROM sessions WHERE token_hash = ?", [.blob(digest)])
            try EventLog.append([.access(.sessionEnded(AgentID(agent)))], by: EventActor(kind: .agent, id: agent, name: nil), at: at, db)
        }
    }

    /// Deletes every session idle or older than the policy allows at `now`; returns how many.
    @discardableResult
    public func purgeExpiredSessions() async throws -> Int {
        let at = now()
        let idle = at.addingTimeInterval(-sessionPolicy.idleTimeoutSeconds)
        let born = at.addingTimeInterval(-sessionPolicy.absoluteLifetimeSeconds)
        return try await database.write { db in
            let agents = try db.query("SELECT DISTINCT agent_id FROM sessions WHERE last_seen_at < ? OR created_at < ?",
                                      [.date(idle), .date(born)]).map { AgentID($0.int64(0)) }
            let purged = try db.run("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?", [.date(idle), .date(born)])
            try EventLog.append(agents.map { .access(.sessionEnded($0)) }, by: .system, at: at, db)
            return purged
        }
    }
}
