import Foundation

extension AccountService {
    /// Creates a personal API token for the acting agent. The secret is in the result only;
    /// the store keeps its SHA-256 and a display prefix. Throws `.validation` (name), `.forbidden`
    /// for non-agents.
    public func createAPIToken(name: String, by actor: Actor) async throws -> CreatedAPIToken {
        guard let agentID = actor.agentID else { throw DomainError.forbidden("Only agents have API tokens.") }
        let name = try Self.validName(name)
        let secret = SecretToken.generate(prefix: APIToken.marker)
        let prefix = String(secret.prefix(APIToken.prefixLength))
        let at = now()
        let token = try await database.write { db in
            try db.run("INSERT INTO api_tokens (agent_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                       [.integer(agentID.rawValue), .text(name), .text(prefix), .blob(SecretToken.digest(secret)), .date(at)])
            let id = db.lastInsertRowID
            try EventLog.append(.record(RecordEvent("api_token", .created, id: id)), by: actor, at: at, db)
            return APIToken(id: id, agentID: agentID, name: name, prefix: prefix,
                            createdAt: at, lastUsedAt: nil, revokedAt: nil)
        }
        return CreatedAPIToken(secret: secret, token: token)
    }

    /// The tokens of `agent` (prefix only), newest first, revoked ones included.
    public func apiTokens(of agent: AgentID) async throws -> [APIToken] {
        try await database.read { db in
            try db.query("SELECT \(APIToken.columns) FROM api_tokens WHERE agent_id = ? ORDER BY id DESC",
                         [.integer(agent.rawValue)]).map(APIToken.init(row:))
        }
    }

    /// Revokes token `id`. Owners may revoke their own; others need `users.manage`.
    /// Throws `.notFound`, `.forbidden`.
    public func revokeAPIToken(_ id: Int64, by actor: Actor) async throws {
        let at = now()
        let isManager = (try? require(.usersManage, for: actor)) != nil
        let agentID = actor.agentID
        try await database.write { db in
            guard let row = try db.first("SELECT agent_id FROM api_tokens WHERE id = ?", [.integer(id)]) else {
                throw DomainError.notFound("API token")
            }
            guard isManager || AgentID(row.int64(0)) == agentID else {
                throw DomainError.forbidden("You can revoke only your own tokens.")
            }
            try db.run("UPDATE api_tokens SET revoked_at = IFNULL(revoked_at, ?) WHERE id = ?", [.date(at), .integer(id)])
            try EventLog.append(.access(.tokenRevoked(AgentID(row.int64(0)), token: id)), by: actor, at: at, db)
        }
    }

    /// Resolves an API token presented as a bearer credential and records its use.
    /// Throws `.unauthenticated` when unknown, revoked, or the agent is inactive.
    public func authenticate(apiToken secret: String) async throws -> Principal {
        let at = now()
        let digest = SecretToken.digest(secret)
        let principal: Principal? = try await database.write { db in
            guard let row = try db.first("SELECT id, agent_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
                                         [.blob(digest)]) else { return nil }
            try db.run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [.date(at), .integer(row.int64(0))])
            return try Self.principal(AgentID(row.int64(1)), db)
        }
        guard let principal, principal.agent.active else { throw DomainError(.unauthenticated, "Invalid API token.") }
        return principal
    }
}
