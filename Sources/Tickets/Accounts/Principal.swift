/// A signed-in agent with the permissions of its role, as resolved from a session or API token.
public struct Principal: Sendable, Equatable {
    public let agent: Agent
    public let permissions: Set<Permission>

    public init(agent: Agent, permissions: Set<Permission>) {
        self.agent = agent
        self.permissions = permissions
    }

    /// True when the role grants `permission`.
    public func can(_ permission: Permission) -> Bool { permissions.contains(permission) }
}

/// Who performs a command: a signed-in agent, a requester (portal), or the system (workflows,
/// SLA timers, seeders).
public enum Actor: Sendable, Equatable {
    case agent(Principal)
    case requester(ContactID)
    case system

    /// The agent id, when the actor is an agent.
    public var agentID: AgentID? {
        if case .agent(let principal) = self { return principal.agent.id }
        return nil
    }
}

/// Throws `.forbidden` unless `actor` may use `permission`. The system may do anything; a
/// requester holds no agent permission (requester commands check ticket ownership instead).
public func require(_ permission: Permission, for actor: Actor) throws {
    switch actor {
    case .system: return
    case .agent(let principal):
        guard principal.can(permission) else {
            throw DomainError.forbidden("You need the \(permission.rawValue) permission.")
        }
    case .requester:
        throw DomainError.forbidden("Requesters cannot use \(permission.rawValue).")
    }
}

/// Throws `.forbidden` unless `principal` holds `permission`.
public func require(_ permission: Permission, for principal: Principal) throws {
    try require(permission, for: .agent(principal))
}
