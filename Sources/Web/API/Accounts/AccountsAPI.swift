import Realtime
import Tickets

/// Routes for sessions, API tokens, agents and roles.
enum AccountsAPI {
    static func register(_ routes: APIRoutes) {}
}
