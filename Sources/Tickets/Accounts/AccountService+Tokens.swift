import Foundation

extension AccountService {
    /// Tokens one agent may hold, revoked ones included: enough for every integration.
    public static let maxTokensPerAgent = 100

    /// Creates a personal API token for the acting agent, limited by `scope` (the permissions
    /// must be ones the agent holds; the expiry must be in the future). The secret is in the
    /// result only; the store keeps its SHA-256 and a display prefix. Throws `.validation`
    /// (name, expiresAt), `.forbidden` for non-agents or permissions not held, `.conflict`
    /// past `maxTokensPerAgent`.
    public func createAPIToken(name: String, scope: APITokenScope = APITokenScope(), by actor: Actor) async throws -> CreatedAPIToken {
        guard let agentID = actor.agentID else { throw DomainError.forbidden("Only agents have API tokens.") }
        let name = try Self.validName(name)
        if let permissions = scope.permissions { try Self.requireHolds(permissions, actor: actor, field: "permissions") }
        let at = now()
        if let expiresAt = scope.expiresAt, expiresAt <= at {
            throw DomainError.validation("expiresAt", "Choose an expiry in the future.")
        }
        let secret = SecretToken.generate(prefix: APIToken.marker)
        let prefix = String(secret.prefix(APIToken.prefixLength))
        let token = try await database.write { db in
            let held = try APITokenRecord.count(of: agentID, db)
            guard held < Self.maxTokensPerAgent else {
                throw DomainError(.conflict, "You have \(Self.maxTokensPerAgent) tokens; delete unused ones first.")
            }
            let draft = APIToken(id: 0, agentID: agentID, name: name, prefix: prefix, createdAt: at, lastUsedAt: nil,
                                 revokedAt: nil, expiresAt: scope.expiresAt, readOnly: scope.readOnly, permissions: scope.permissions)
            let id = try APITokenRecord.insert(draft, digest: SecretToken.digest(secret), db)
            try EventLog.append(.record(RecordEvent("api_token", .created, id: id)), by: actor, at: at, db)
            return APIToken(id: id, agentID: agentID, name: name, prefix: prefix, createdAt: at,
                            lastUsedAt: nil, revokedAt: nil, expiresAt: scope.expiresAt, readOnly: scope.readOnly,
                            permissions: scope.permissions)
        }
        return CreatedAPIToken(secret: secret, token: token)
    }

    /// The tokens of `agent` (prefix only), newest first, revoked and expired ones included.
    public func apiTokens(of agent: AgentID) async throws -> [APIToken] {
        try await database.read { db in try APITokenRecord.all(of: agent, db) }
    }

    /// The tokens of agent `id` for a manager: needs `users.manage`, and the agent's role may
    /// grant nothing the manager lacks. Throws `.forbidden`, `.notFound`.
    public func apiTokens(of id: AgentID, by actor: Actor) async throws -> [APIToken] {
        if actor.agentID != id {
            try require(.usersManage, for: actor)
            try await database.read { db in
                guard let agent = try AgentRecord.find(id, db) else { throw DomainError.notFound("Agent") }
                try Self.requireOutranks(agent, actor: actor, db)
            }
        }
        return try await apiTokens(of: id)
    }

    /// Revokes token `id`. Owners may revoke their own; others need `users.manage` and may
    /// revoke only tokens of agents whose role grants nothing they lack. Throws `.notFound`, `.forbidden`.
    public func revokeAPIToken(_ id: Int64, by actor: Actor) async throws {
        let at = now()
        let isManager = (try? require(.usersManage, for: actor)) != nil
        let agentID = actor.agentID
        try await database.write { db in
            guard let owner = try APITokenRecord.owner(of: id, db) else { throw DomainError.notFound("API token") }
            guard isManager || owner == agentID else {
                throw DomainError.forbidden("You can revoke only your own tokens.")
            }
            if owner != agentID, let agent = try AgentRecord.find(owner, db) { try Self.requireOutranks(agent, actor: actor, db) }
            try APITokenRecord.revoke(id, at: at, db)
            try EventLog.append(.access(.tokenRevoked(owner, token: id)), by: actor, at: at, db)
        }
    }

    /// Resolves an API token presented as a bearer credential; its use is recorded at most
    /// once per `SessionPolicy.touchIntervalSeconds` so each request does not hit the writer.
    /// Throws `.unauthenticated` when unknown, revoked, expired, or the agent is inactive.
    public func authenticate(apiToken secret: String) async throws -> AuthenticatedToken {
        let at = now()
        let digest = SecretToken.digest(secret)
        let found = try await database.read { db -> (APIToken, Principal)? in
            guard let token = try APITokenRecord.live(digest: digest, db) else { return nil }
            return (token, try Self.principal(token.agentID, db))
        }
        guard let (token, owner) = found, owner.agent.active else { throw DomainError(.unauthenticated, "Invalid API token.") }
        if let expiresAt = token.expiresAt, expiresAt <= at {
            throw DomainError(.unauthenticated, "This API token has expired.")
        }
        if token.lastUsedAt.map({ at.timeIntervalSince($0) >= sessionPolicy.touchIntervalSeconds }) ?? true {
            try await database.write { db in try APITokenRecord.touch(token.id, at: at, db) }
        }
        let principal = Principal(agent: owner.agent, permissions: token.effectivePermissions(owner.permissions))
        return AuthenticatedToken(principal: principal, token: token)
    }
}
