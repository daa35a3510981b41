import Foundation
import Realtime
import Tickets

/// `POST /api/setup`: creates the first Administrator with the one-time token the server
/// logged at start. Refused once any agent exists. `GET /api/setup` tells a visitor
/// whether setup is needed (never the token), so the app can send them to the setup page.
enum SetupRoutes {
    private struct SetupState: Encodable {
        let needed: Bool
    }

    struct SetupRequest: Decodable {
        let token: String
        let name: String
        let email: String
        let password: String
    }

    /// Adds the route; `gate` holds the token (closed when setup is not needed).
    static func register(_ routes: APIRoutes, gate: SetupGate) {
        let accounts = routes.services.accounts
        routes.router.add(.get, "/api/setup", async: { _ in
            // An agent added by `helpdesk user add` since start closes setup too.
            if gate.isOpen, try await !accounts.agents().isEmpty { gate.close() }
            return try JSONBody.response(SetupState(needed: gate.isOpen))
        })
        routes.router.add(.post, "/api/setup", async: { http in
            let body = try JSONBody.decode(SetupRequest.self, from: http)
            switch gate.claim(body.token) {
            case .granted: break
            case .wrongToken: throw ProblemError.forbidden("The setup token is not correct.")
            case .unavailable: throw ProblemError.conflict("Setup is already complete (or in progress).")
            }
            var succeeded = false
            defer { gate.finish(succeeded: succeeded) }
            return try await AccountsAPI.mappingDomainErrors {
                // Re-checked under the claim: `helpdesk user add` may have run since start.
                guard try await accounts.agents().isEmpty else {
                    gate.close()
                    throw ProblemError.conflict("Setup is already complete.")
                }
                let agent = try await accounts.createAgent(name: body.name, email: body.email, password: body.password,
                                                           role: .administrator, by: .system)
                succeeded = true
                Log.info("setup: first administrator created (agent \(agent.id))")
                return try JSONBody.response(AgentBody(agent, roleName: "Administrator"), status: .created)
            }
        })
    }
}
