import Foundation

/// Agents, roles, sessions, login throttling and API tokens. Every method is `async` and
/// does its SQLite work on the database's queues; password hashing runs on the caller's task.
public final class AccountService: Sendable {
    let database: Database
    let now: Clock
    let hasher: PasswordHasher
    public let sessionPolicy: SessionPolicy
    public let throttle: LoginThrottle

    public init(
        database: Database, now: @escaping Clock, hasher: PasswordHasher = PasswordHasher(),
        sessionPolicy: SessionPolicy = SessionPolicy(), throttle: LoginThrottle = LoginThrottle()
    ) {
        self.database = database
        self.now = now
        self.hasher = hasher
        self.sessionPolicy = sessionPolicy
        self.throttle = throttle
    }

    /// Creates an agent. Throws `.validation` (name, email, password, roleID), `.conflict`
    /// when the email is taken (case-insensitively), `.forbidden` without `users.manage`.
    public func createAgent(name: String, email: String, password: String, role: RoleID, by actor: Actor) async throws -> Agent {
        try require(.usersManage, for: actor)
        let name = try Self.validName(name)
        let email = try EmailAddress.normalise(email)
        guard password.count >= 8 else { throw DomainError.validation("password", "Use at least 8 characters.") }
        let hash = hasher.hash(password)
        let at = now()
        return try await database.write { db in
            guard try Role.find(role, db) != nil else { throw DomainError.validation("roleID", "Unknown role.") }
            do {
                try db.run("""
                    INSERT INTO agents (name, email, password_hash, role_id, active, away, created_at)
                    VALUES (?, ?, ?, ?, 1, 0, ?)
                    """, [.text(name), .text(email), .text(hash), .integer(role.rawValue), .date(at)])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw DomainError(.conflict, "An agent with this email already exists.", field: "email")
            }
            let agent = Agent(id: AgentID(db.lastInsertRowID), name: name, email: email, roleID: role,
                              active: true, away: false, createdAt: at)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .agentCreated, before: nil,
                                after: Self.auditValues(agent), at: at, subject: agent.id.rawValue)
            return agent
        }
    }

    /// Changes an agent's name, email, role, active or away flags (nil fields are kept).
    /// Agents may change their own name and away flag; anything else needs `users.manage`.
    /// Throws `.notFound`, `.validation`, `.conflict` (email taken), `.forbidden` (including
    /// demoting or deactivating the last active Administrator).
    public func updateAgent(_ id: AgentID, _ patch: AgentPatch, by actor: Actor) async throws -> Agent {
        let isSelfService = actor.agentID == id && patch.email == nil && patch.roleID == nil && patch.active == nil
        if !isSelfService { try require(.usersManage, for: actor) }
        let name = try patch.name.map(Self.validName)
        let email = try patch.email.map { try EmailAddress.normalise($0) }
        let at = now()
        return try await database.write { db in
            guard let before = try Agent.find(id, db) else { throw DomainError.notFound("Agent") }
            var after = before
            if let name { after.name = name }
            if let email { after.email = email }
            if let role = patch.roleID {
                guard try Role.find(role, db) != nil else { throw DomainError.validation("roleID", "Unknown role.") }
                after.roleID = role
            }
            if let active = patch.active { after.active = active }
            if let away = patch.away { after.away = away }
            let wasAdmin = before.roleID == .administrator && before.active
            let staysAdmin = after.roleID == .administrator && after.active
            if wasAdmin, !staysAdmin, try Agent.activeAdministratorCount(db) <= 1 {
                throw DomainError.forbidden("The last active Administrator cannot be demoted or deactivated.")
            }
            do {
                try db.run("UPDATE agents SET name = ?, email = ?, role_id = ?, active = ?, away = ? WHERE id = ?",
                           [.text(after.name), .text(after.email), .integer(after.roleID.rawValue),
                            .bool(after.active), .bool(after.away), .integer(id.rawValue)])
            } catch let error as SQLiteError where error.isUniqueViolation {
                throw DomainError(.conflict, "An agent with this email already exists.", field: "email")
            }
            if !after.active { try db.run("DELETE FROM sessions WHERE agent_id = ?", [.integer(id.rawValue)]) }
            try AuditLog.record(db, ticket: nil, actor: actor, action: .agentUpdated,
                                before: Self.auditValues(before), after: Self.auditValues(after), at: at, subject: id.rawValue)
            return after
        }
    }

    /// Sets a new password for `id` and ends its sessions. Agents may change their own;
    /// others need `users.manage`. Throws `.validation`, `.notFound`, `.forbidden`.
    public func setPassword(_ id: AgentID, to password: String, by actor: Actor) async throws {
        if actor.agentID != id { try require(.usersManage, for: actor) }
        guard password.count >= 8 else { throw DomainError.validation("password", "Use at least 8 characters.") }
        let hash = hasher.hash(password)
        let at = now()
        try await database.write { db in
            guard try db.run("UPDATE agents SET password_hash = ? WHERE id = ?", [.text(hash), .integer(id.rawValue)]) == 1 else {
                throw DomainError.notFound("Agent")
            }
            try db.run("DELETE FROM sessions WHERE agent_id = ?", [.integer(id.rawValue)])
            try EventLog.append(.access(.agentChanged(id)), by: actor, at: at, db)
        }
    }

    /// Agent `id`. Throws `.notFound`.
    public func agent(_ id: AgentID) async throws -> Agent {
        guard let agent = try await database.read({ try Agent.find(id, $0) }) else { throw DomainError.notFound("Agent") }
        return agent
    }

    /// Every agent, by name.
    public func agents() async throws -> [Agent] {
        try await database.read { db in
            try db.query("SELECT \(Agent.columns) FROM agents ORDER BY name COLLATE NOCASE, id").map(Agent.init(row:))
        }
    }

    /// The principal (agent plus role permissions) for `id`. Throws `.notFound`.
    public func principal(for id: AgentID) async throws -> Principal {
        try await database.read { db in try Self.principal(id, db) }
    }

    static func principal(_ id: AgentID, _ db: Connection) throws -> Principal {
        guard let agent = try Agent.find(id, db) else { throw DomainError.notFound("Agent") }
        let permissions = try Role.find(agent.roleID, db)?.permissions ?? []
        return Principal(agent: agent, permissions: permissions)
    }

    static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200 else { throw DomainError.validation("name", "Enter a name (up to 200 characters).") }
        return name
    }

    static func auditValues(_ agent: Agent) -> AuditLog.Values {
        ["name": .string(agent.name), "email": .string(agent.email), "roleID": .int(agent.roleID.rawValue),
         "active": .bool(agent.active), "away": .bool(agent.away)]
    }
}

/// Changes to an agent; nil fields are left as they are.
public struct AgentPatch: Sendable {
    public var name: String?
    public var email: String?
    public var roleID: RoleID?
    public var active: Bool?
    public var away: Bool?

    public init(name: String? = nil, email: String? = nil, roleID: RoleID? = nil, active: Bool? = nil, away: Bool? = nil) {
        self.name = name
        self.email = email
        self.roleID = roleID
        self.active = active
        self.away = away
    }
}
