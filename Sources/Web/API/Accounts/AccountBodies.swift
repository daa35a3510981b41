import Foundation
import Tickets

/// An agent as the API shows it (never the password hash).
struct AgentBody: Encodable {
    let id: Int64
    let name: String
    let email: String
    let roleId: Int64
    /// The role's name, for display.
    let role: String
    let active: Bool
    let away: Bool
    let createdAt: Date

    init(_ agent: Agent, roleName: String) {
        id = agent.id.rawValue
        name = agent.name
        email = agent.email
        roleId = agent.roleID.rawValue
        role = roleName
        active = agent.active
        away = agent.away
        createdAt = agent.createdAt
    }

    /// Every agent's body, naming roles from `roles`.
    static func all(_ agents: [Agent], roles: [Role]) -> [AgentBody] {
        let names = Dictionary(uniqueKeysWithValues: roles.map { ($0.id, $0.name) })
        return agents.map { AgentBody($0, roleName: names[$0.roleID] ?? "") }
    }
}

/// The signed-in agent, what they may do, and the CSRF token for unsafe requests (absent
/// for bearer-token callers, who need none).
struct SessionBody: Encodable {
    let agent: AgentBody
    let permissions: [String]
    let csrfToken: String?

    init(_ principal: Principal, roleName: String, csrfToken: String?) {
        agent = AgentBody(principal.agent, roleName: roleName)
        permissions = principal.permissions.map(\.rawValue).sorted()
        self.csrfToken = csrfToken
    }
}

/// A personal API token as listed (its secret is never shown again).
struct TokenBody: Encodable {
    let id: Int64
    let name: String
    let prefix: String
    let createdAt: Date
    @Nullable var lastUsedAt: Date?
    @Nullable var revokedAt: Date?
    @Nullable var expiresAt: Date?
    /// `read` or `full`.
    let scope: String
    /// The permissions the token is limited to; nil: all of its owner's.
    @Nullable var permissions: [String]?

    init(_ token: APIToken) {
        id = token.id
        name = token.name
        prefix = token.prefix
        createdAt = token.createdAt
        lastUsedAt = token.lastUsedAt
        revokedAt = token.revokedAt
        expiresAt = token.expiresAt
        scope = token.readOnly ? "read" : "full"
        permissions = token.permissions.map { $0.map(\.rawValue).sorted() }
    }
}

/// A token just created: the only response that carries the secret.
struct CreatedTokenBody: Encodable {
    let token: TokenBody
    let secret: String
}

/// A role and the permissions it grants.
struct RoleBody: Encodable {
    let id: Int64
    let name: String
    let builtIn: Bool
    let permissions: [String]

    init(_ role: Role) {
        id = role.id.rawValue
        name = role.name
        builtIn = role.builtIn
        permissions = role.permissions.map(\.rawValue).sorted()
    }
}

/// The account name and where its logo is served, when there is one.
struct AccountBody: Encodable {
    let name: String
    let logoUrl: String?
    let logoContentType: String?
    let updatedAt: Date

    init(_ settings: AccountSettings) {
        name = settings.name
        logoContentType = settings.logoContentType
        // The timestamp busts browser caches when the logo changes.
        logoUrl = settings.logoContentType == nil ? nil
            : "/api/account/logo?v=\(Int64(settings.updatedAt.timeIntervalSince1970 * 1000))"
        updatedAt = settings.updatedAt
    }
}
