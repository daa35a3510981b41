import Realtime
import Tickets

/// Routes for sessions, first-run setup, API tokens, agents, roles, permissions and the
/// account settings. Each area registers itself; this is the list.
enum AccountsAPI {
    /// Adds every account route to `routes`.
    static func register(_ routes: APIRoutes) {
        SessionRoutes.register(routes)
        TokenRoutes.register(routes)
        AgentRoutes.register(routes)
        RoleRoutes.register(routes)
        AccountSettingsRoutes.register(routes)
    }

    /// The name of the role `id` (empty when it no longer exists).
    static func roleName(_ id: RoleID, services: Services) async throws -> String {
        try await services.accounts.roles().first { $0.id == id }?.name ?? ""
    }

    /// Runs `body`, turning a `DomainError` into its problem+json response (for routes that
    /// do not go through `APIRoutes.api`, which does this itself).
    static func mappingDomainErrors(_ body: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await body()
        } catch let error as DomainError {
            return try APIProblem.response(for: error)
        }
    }
}
