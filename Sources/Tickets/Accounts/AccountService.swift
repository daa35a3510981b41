import Foundation

/// Agents, roles, sessions, login throttling and API tokens. Every method is `async` and
/// does its database work on the database's queues; password hashing runs on `hashing`, its
/// own bounded threads, never on the caller's.
///
/// Access ends through these methods only (the live endpoint relies on it): `logout`,
/// `updateAgent` (deactivation, role change), `updateRole` (permissions of every holder),
/// `setPassword` (reset by a manager; `changeOwnPassword` ends in it) and `revokeAPIToken`;
/// sessions and tokens also end by time (`SessionPolicy`, a token's `expiresAt`).
public final class AccountService: Sendable {
    let database: Database
    let now: Clock
    let hasher: PasswordHasher
    public let sessionPolicy: SessionPolicy
    public let throttle: LoginThrottle
    public let passwordPolicy: PasswordPolicy
    /// Where every password hash is computed.
    public let hashing: PasswordHashingExecutor
    /// A hash of a random password, verified against when an email is unknown so a failed
    /// sign-in costs one hash whether or not the account exists (no enumeration by timing).
    let dummyHash: String

    public init(
        database: Database, now: @escaping Clock, hasher: PasswordHasher = PasswordHasher(),
        sessionPolicy: SessionPolicy = SessionPolicy(), throttle: LoginThrottle = LoginThrottle(),
        passwordPolicy: PasswordPolicy = PasswordPolicy(), hashing: PasswordHashingExecutor = PasswordHashingExecutor()
    ) {
        self.database = database
        self.now = now
        self.hasher = hasher
        self.sessionPolicy = sessionPolicy
        self.throttle = throttle
        self.passwordPolicy = passwordPolicy
        self.hashing = hashing
        dummyHash = hasher.hash(Encoding.hex(Crypto.randomBytes(16)))
    }

    /// Creates an agent. Throws `.validation` (name, email, password, roleID), `.conflict`
    /// when the email is taken (case-insensitively), `.forbidden` without `users.manage`.
    public func createAgent(name: String, email: String, password: String, role: RoleID, by actor: Actor) async throws -> Agent {
        try require(.usersManage, for: actor)
        let name = try Self.validName(name)
        let email = try EmailAddress.normalise(email)
        try passwordPolicy.check(password, email: email)
        let hasher = self.hasher
        let hash = try await hashing.run { hasher.hash(password) }
        let at = now()
        return try await database.write { db in
            guard let granted = try RoleRecord.find(role, db) else { throw DomainError.validation("roleId", "Unknown role.") }
            try Self.requireHolds(granted.permissions, actor: actor, field: "roleId")
            let agent = try AgentRecord.insert(
                Agent(id: AgentID(0), name: name, email: email, roleID: role, active: true, away: false, createdAt: at),
                passwordHash: hash, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .agentCreated, before: nil,
                                after: Self.auditValues(agent), at: at, subject: agent.id.rawValue)
            return agent
        }
    }

    /// Changes an agent's name, email, role, active or away flags (nil fields are kept).
    /// Agents may change their own name and away flag; anything else needs `users.manage`,
    /// and a manager may act only on agents whose role grants nothing the manager lacks and
    /// give only roles within their own permissions. Deactivation ends the agent's sessions
    /// and revokes their API tokens. Throws `.notFound`, `.validation`, `.conflict` (email
    /// taken), `.forbidden` (including demoting or deactivating the last active Administrator).
    public func updateAgent(_ id: AgentID, _ patch: AgentPatch, by actor: Actor) async throws -> Agent {
        let isSelfService = actor.agentID == id && patch.email == nil && patch.roleID == nil && patch.active == nil
        if !isSelfService { try require(.usersManage, for: actor) }
        let name = try patch.name.map(Self.validName)
        let email = try patch.email.map { try EmailAddress.normalise($0) }
        let at = now()
        return try await database.write { db in
            guard let before = try AgentRecord.find(id, db) else { throw DomainError.notFound("Agent") }
            if !isSelfService { try Self.requireOutranks(before, actor: actor, db) }
            var after = before
            if let name { after.name = name }
            if let email { after.email = email }
            if let role = patch.roleID {
                guard let granted = try RoleRecord.find(role, db) else { throw DomainError.validation("roleId", "Unknown role.") }
                try Self.requireHolds(granted.permissions, actor: actor, field: "roleId")
                after.roleID = role
            }
            if let active = patch.active { after.active = active }
            if let away = patch.away { after.away = away }
            let wasAdmin = before.roleID == .administrator && before.active
            let staysAdmin = after.roleID == .administrator && after.active
            if wasAdmin, !staysAdmin, try AgentRecord.activeCount(role: .administrator, db) <= 1 {
                throw DomainError.forbidden("The last active Administrator cannot be demoted or deactivated.")
            }
            try AgentRecord.update(after, db)
            if !after.active {
                try SessionRecord.deleteAll(of: id, db)
                try APITokenRecord.revokeAll(of: id, at: at, db)
            }
            try AuditLog.record(db, ticket: nil, actor: actor, action: .agentUpdated,
                                before: Self.auditValues(before), after: Self.auditValues(after), at: at, subject: id.rawValue)
            return after
        }
    }

    /// Sets a new password for `id`, ends its sessions, forgets its failed sign-ins (a reset
    /// by a manager unblocks the owner) and, when `revokeTokens`, revokes its API tokens.
    /// Agents may change their own; others need `users.manage` and may reset only agents
    /// whose role grants nothing they lack. Throws `.validation`, `.notFound`, `.forbidden`.
    public func setPassword(_ id: AgentID, to password: String, revokeTokens: Bool = false, by actor: Actor) async throws {
        if actor.agentID != id { try require(.usersManage, for: actor) }
        guard let target = try await database.read({ try AgentRecord.find(id, $0) }) else { throw DomainError.notFound("Agent") }
        try passwordPolicy.check(password, email: target.email)
        let hasher = self.hasher
        let hash = try await hashing.run { hasher.hash(password) }
        let at = now()
        try await database.write { db in
            guard let agent = try AgentRecord.find(id, db) else { throw DomainError.notFound("Agent") }
            if actor.agentID != id { try Self.requireOutranks(agent, actor: actor, db) }
            try AgentRecord.setPasswordHash(hash, of: id, db)
            try SessionRecord.deleteAll(of: id, db)
            try LoginAttemptRecord.deleteAttempts(email: agent.email, db)
            if revokeTokens { try APITokenRecord.revokeAll(of: id, at: at, db) }
            try AuditLog.record(db, ticket: nil, actor: actor, action: .agentUpdated, before: nil,
                                after: ["passwordChanged": .bool(true), "apiTokensRevoked": .bool(revokeTokens)], at: at,
                                subject: id.rawValue)
        }
    }

    /// Agent `id`. Throws `.notFound`.
    public func agent(_ id: AgentID) async throws -> Agent {
        guard let agent = try await database.read({ try AgentRecord.find(id, $0) }) else { throw DomainError.notFound("Agent") }
        return agent
    }

    /// Every agent, by name.
    public func agents() async throws -> [Agent] {
        try await database.read { db in try AgentRecord.all(db) }
    }

    /// The principal (agent plus role permissions) for `id`. Throws `.notFound`.
    public func principal(for id: AgentID) async throws -> Principal {
        try await database.read { db in try Self.principal(id, db) }
    }

    static func principal(_ id: AgentID, _ db: Connection) throws -> Principal {
        guard let agent = try AgentRecord.find(id, db) else { throw DomainError.notFound("Agent") }
        let permissions = try RoleRecord.find(agent.roleID, db)?.permissions ?? []
        return Principal(agent: agent, permissions: permissions)
    }

    /// Longest agent, role and token name: a full name with room to spare.
    public static let maxNameLength = 200

    static func validName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(name, field: "name", max: maxNameLength)
        guard !name.isEmpty else { throw DomainError.validation("name", "Enter a name (up to \(maxNameLength) characters).") }
        return name
    }

    /// Throws `.forbidden` unless `actor` holds every permission in `permissions` (nobody
    /// grants what they do not have; the system may grant anything).
    static func requireHolds(_ permissions: Set<Permission>, actor: Actor, field: String) throws {
        guard case .agent(let principal) = actor else { return }
        let missing = permissions.subtracting(principal.permissions)
        guard missing.isEmpty else {
            throw DomainError(.forbidden, "You cannot grant permissions you do not hold: "
                              + missing.map(\.rawValue).sorted().joined(separator: ", ") + ".", field: field)
        }
    }

    /// Throws `.forbidden` unless `actor` holds every permission of `target`'s role, so a
    /// manager cannot reset, rename or take over an account more powerful than their own.
    static func requireOutranks(_ target: Agent, actor: Actor, _ db: Connection) throws {
        guard case .agent(let principal) = actor else { return }
        let permissions = try RoleRecord.find(target.roleID, db)?.permissions ?? []
        guard permissions.isSubset(of: principal.permissions) else {
            throw DomainError.forbidden("This agent's role grants permissions you do not hold.")
        }
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
