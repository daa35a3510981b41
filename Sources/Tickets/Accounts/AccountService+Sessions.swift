import Foundation

extension AccountService {
    /// Signs in with email and password from `ip`. On success deletes the session the
    /// browser presented (`previousToken`, rotation on login), clears the email's failures
    /// and returns a new session. Throws `.throttled` (with `retryAfterSeconds`) while the
    /// email or IP is locked, `.unauthenticated` for a wrong email, password or inactive account.
    public func login(email rawEmail: String, password: String, ip: String, previousToken: String? = nil) async throws -> SessionGrant {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let at = now()
        let throttle = self.throttle
        let horizon = throttle.horizon(at)
        let (emailFailures, ipFailures, account) = try await database.read { db in
            let byEmail = try db.query("SELECT at FROM login_failures WHERE email = ? AND at > ?", [.text(email), .date(horizon)])
                .map { $0.date(0) }
            let byIP = try db.query("SELECT at FROM login_failures WHERE ip = ? AND at > ?", [.text(ip), .date(horizon)])
                .map { $0.date(0) }
            return (byEmail, byIP, try Agent.withHash(email: email, db))
        }
        let lockedUntil = [throttle.lockedUntil(failures: emailFailures, limit: throttle.maxFailures, now: at),
                           throttle.lockedUntil(failures: ipFailures, limit: throttle.maxFailuresPerIP, now: at)]
            .compactMap { $0 }.max()
        if let lockedUntil {
            throw DomainError(.throttled, "Too many failed sign-in attempts. Try again later.",
                              retryAfterSeconds: Int(lockedUntil.timeIntervalSince(at).rounded(.up)))
        }
        // Verify against a decoy when the email is unknown so timing does not reveal accounts.
        let valid = hasher.verify(password, against: account?.1 ?? hasher.decoyHash())
        guard let (agent, _) = account, valid, agent.active else {
            try await database.write { db in
                try db.run("INSERT INTO login_failures (email, ip, at) VALUES (?, ?, ?)", [.text(email), .text(ip), .date(at)])
                try db.run("DELETE FROM login_failures WHERE at < ?", [.date(horizon)])
            }
            throw DomainError(.unauthenticated, "Invalid email or password.")
        }
        let token = SecretToken.generate()
        let csrf = SecretToken.generate()
        let principal = try await database.write { db in
            try db.run("DELETE FROM login_failures WHERE email = ?", [.text(email)])
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
