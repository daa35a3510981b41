import Foundation

extension AccountService {
    /// Changes the acting agent's own password after checking `current`, a check throttled
    /// like a sign-in from `ip` (it is one: it proves knowledge of the password), then ends
    /// every session of that agent and, when `revokeTokens`, its API tokens (like
    /// `setPassword`). Throws `.forbidden` for non-agents, `.throttled`, `.validation` on
    /// `currentPassword` when it is wrong or on `password` when the policy refuses it.
    public func changeOwnPassword(current: String, to password: String, revokeTokens: Bool = false,
                                  ip: String, by actor: Actor) async throws {
        guard case .agent(let principal) = actor else { throw DomainError.forbidden("Only agents have passwords.") }
        try Self.checkPresentedPassword(current, field: "currentPassword")
        try passwordPolicy.check(password, email: principal.agent.email)
        let check = try await checkPassword(current, email: principal.agent.email, address: ip)
        guard check.agent?.id == principal.agent.id else {
            throw DomainError.validation("currentPassword", "The current password is not correct.")
        }
        let at = now(), knownFor = throttle.knownAddressSeconds
        try await database.write { db in try Self.recordSuccess(check, at: at, knownFor: knownFor, db) }
        try await setPassword(principal.agent.id, to: password, revokeTokens: revokeTokens, by: actor)
    }
}
