import Foundation
import Realtime
import Tickets

/// `/api/agents`: list (any agent: tickets are assigned to them), add, show, change, and
/// set passwords. The service enforces `users.manage` and the self-service exceptions.
enum AgentRoutes {
    /// The role's key is `roleId`; `roleID`, its spelling before the API settled on one
    /// casing, is still read so existing integrations keep working.
    private enum RoleKeys: String, CodingKey { case roleId, roleID }

    private static func roleID(in decoder: any Decoder, required: Bool) throws -> Int64? {
        let c = try decoder.container(keyedBy: RoleKeys.self)
        if let id = try c.decodeIfPresent(Int64.self, forKey: .roleId) ?? c.decodeIfPresent(Int64.self, forKey: .roleID) { return id }
        guard required else { return nil }
        throw DecodingError.keyNotFound(RoleKeys.roleId, .init(codingPath: [], debugDescription: "roleId is required."))
    }

    struct CreateRequest: Decodable {
        let name: String
        let email: String
        let password: String
        let roleID: Int64

        private enum Keys: String, CodingKey { case name, email, password }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            name = try c.decode(String.self, forKey: .name)
            email = try c.decode(String.self, forKey: .email)
            password = try c.decode(String.self, forKey: .password)
            roleID = try AgentRoutes.roleID(in: decoder, required: true)!
        }
    }

    struct UpdateRequest: Decodable {
        let name: String?
        let email: String?
        let roleID: Int64?
        let active: Bool?
        let away: Bool?

        private enum Keys: String, CodingKey { case name, email, active, away }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: Keys.self)
            name = try c.decodeIfPresent(String.self, forKey: .name)
            email = try c.decodeIfPresent(String.self, forKey: .email)
            active = try c.decodeIfPresent(Bool.self, forKey: .active)
            away = try c.decodeIfPresent(Bool.self, forKey: .away)
            roleID = try AgentRoutes.roleID(in: decoder, required: false)
        }
    }

    struct PasswordRequest: Decodable {
        /// Required when changing one's own password.
        let currentPassword: String?
        let password: String
        /// Also revoke the agent's API tokens (default false: integrations keep working).
        let revokeApiTokens: Bool?
    }

    static func register(_ routes: APIRoutes) {
        let accounts = routes.services.accounts
        let proxies = routes.trustedProxies
        routes.api(.get, "/api/agents", permission: nil) { _ in
            try JSONBody.response(AgentBody.all(try await accounts.agents(), roles: try await accounts.roles()))
        }
        routes.api(.post, "/api/agents", permission: .usersManage) { request in
            let body = try request.decode(CreateRequest.self)
            let agent = try await accounts.createAgent(name: body.name, email: body.email, password: body.password,
                                                       role: RoleID(body.roleID), by: request.actor)
            return try JSONBody.response(try await bodyFor(agent, accounts), status: .created)
        }
        routes.api(.get, "/api/agents/:id", permission: nil) { request in
            try JSONBody.response(try await bodyFor(try await accounts.agent(AgentID(try request.id("id"))), accounts))
        }
        routes.api(.patch, "/api/agents/:id", permission: nil) { request in
            let id = AgentID(try request.id("id"))
            let body = try request.decode(UpdateRequest.self)
            let patch = AgentPatch(name: body.name, email: body.email, roleID: body.roleID.map(RoleID.init),
                                   active: body.active, away: body.away)
            return try JSONBody.response(try await bodyFor(try await accounts.updateAgent(id, patch, by: request.actor), accounts))
        }
        routes.api(.put, "/api/agents/:id/password", permission: nil) { request in
            let id = AgentID(try request.id("id"))
            let body = try request.decode(PasswordRequest.self)
            if id == request.principal.agent.id {
                // Changing one's own password proves knowledge of the current one, so a
                // borrowed session cannot lock the owner out.
                guard let current = body.currentPassword else {
                    throw ProblemError.unprocessable("Enter your current password.", field: "currentPassword")
                }
                try await accounts.changeOwnPassword(current: current, to: body.password, revokeTokens: body.revokeApiTokens ?? false,
                                                     ip: proxies.clientAddress(of: request.http), by: request.actor)
            } else {
                try await accounts.setPassword(id, to: body.password, revokeTokens: body.revokeApiTokens ?? false, by: request.actor)
            }
            return HTTPResponse(status: .noContent)
        }
        routes.api(.get, "/api/agents/:id/tokens", permission: nil) { request in
            let tokens = try await accounts.apiTokens(of: AgentID(try request.id("id")), by: request.actor)
            return try JSONBody.response(tokens.map(TokenBody.init))
        }
    }

    private static func bodyFor(_ agent: Agent, _ accounts: AccountService) async throws -> AgentBody {
        AgentBody(agent, roleName: try await accounts.roles().first { $0.id == agent.roleID }?.name ?? "")
    }
}
