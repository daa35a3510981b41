import Foundation

extension AccountService {
    /// Changes the acting agent's own password after checking `current`, then ends every
    /// session of that agent (like `setPassword`). Throws `.forbidden` for non-agents,
    /// `.validation` on `currentPassword` when it is wrong or on `password` when too short.
    public func changeOwnPassword(current: String, to password: String, by actor: Actor) async throws {
        guard let id = actor.agentID else { throw DomainError.forbidden("Only agents have passwords.") }
        let stored = try await database.read { db in
            try db.first("SELECT password_hash FROM agents WHERE id = ?", [.integer(id.rawValue)])?.text(0)
        }
        guard let stored, hasher.verify(current, against: stored) else {
            throw DomainError.validation("currentPassword", "The current password is not correct.")
        }
        try await setPassword(id, to: password, by: actor)
    }
}
