import Foundation
import Testing
@testable import Tickets

@Suite("AccountService")
struct AccountServiceTests {
    @Test("a password hash verifies the right password and rejects a wrong one")
    func passwordHash() {
        let hasher = PasswordHasher(iterations: 1_000)
        let stored = hasher.hash("correct horse")
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(stored.split(separator: "$").count == 4)
        #expect(hasher.verify("correct horse", against: stored))
        #expect(!hasher.verify("correct horsE", against: stored))
        #expect(!hasher.verify("correct horse", against: "pbkdf2-sha256$x$00$00"))
        #expect(hasher.hash("same") != hasher.hash("same"))
    }

    @Test("emails are unique case-insensitively and a duplicate is a conflict on email")
    func uniqueEmail() async throws {
        let fixture = try Fixture()
        _ = try await fixture.accounts.createAgent(name: "Ada", email: "Ada@Example.com", password: "a long password", role: .agent, by: .system)
        let error = await domainError(.conflict) {
            _ = try await fixture.accounts.createAgent(name: "Ada 2", email: "ada@example.COM", password: "a long password", role: .agent, by: .system)
        }
        #expect(error?.field == "email")
    }

    @Test("agents are listed by name in any case, then by id")
    func listedByName() async throws {
        let fixture = try Fixture()
        for (index, name) in ["bea", "Cid", "Ann", "ann"].enumerated() {
            _ = try await fixture.accounts.createAgent(name: name, email: "agent\(index)@example.com", password: "a long password",
                                                       role: .agent, by: .system)
        }
        #expect(try await fixture.accounts.agents().map(\.name) == ["Ann", "ann", "bea", "Cid"])
    }

    @Test("login returns a session whose token is stored only as a hash and resolves back")
    func loginAndLookup() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Ada")
        let grant = try await fixture.accounts.login(email: "ADA@example.com", password: "correct horse", ip: "10.0.0.1")
        let stored = try await fixture.database.read { try $0.first("SELECT token_hash FROM sessions")!.blob(0) }
        #expect(stored == Crypto.sha256(grant.token))
        let session = try await fixture.accounts.authenticate(sessionToken: grant.token)
        #expect(session.principal.agent.name == "Ada")
        #expect(fixture.accounts.verifyCSRF(grant.csrfToken, for: session))
        #expect(!fixture.accounts.verifyCSRF("forged", for: session))
    }

    @Test("logging in again with the old session token rotates it away")
    func rotation() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Ada")
        let first = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "ip")
        let second = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "ip", previousToken: first.token)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(sessionToken: first.token) } != nil)
        _ = try await fixture.accounts.authenticate(sessionToken: second.token)
    }

    @Test("sessions expire after the idle timeout, slide while used, and end at the absolute lifetime")
    func expiry() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Ada")
        let policy = fixture.accounts.sessionPolicy
        let grant = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "ip")
        fixture.clock.advance(policy.idleTimeoutSeconds - 10)
        _ = try await fixture.accounts.authenticate(sessionToken: grant.token)
        fixture.clock.advance(policy.idleTimeoutSeconds - 10)
        _ = try await fixture.accounts.authenticate(sessionToken: grant.token)
        fixture.clock.advance(policy.idleTimeoutSeconds + 1)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(sessionToken: grant.token) } != nil)

        let active = try await fixture.accounts.login(email: "ada@example.com", password: "correct horse", ip: "ip")
        var elapsed: TimeInterval = 0
        while elapsed + 3600 <= policy.absoluteLifetimeSeconds {
            fixture.clock.advance(3600)
            elapsed += 3600
            _ = try await fixture.accounts.authenticate(sessionToken: active.token)
        }
        fixture.clock.advance(3600)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(sessionToken: active.token) } != nil)
    }

    @Test("API tokens are shown once, listed by prefix, stored hashed and stop working when revoked")
    func apiTokens() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada")
        let created = try await fixture.accounts.createAPIToken(name: "CI", by: ada)
        #expect(created.secret.hasPrefix("hdk_"))
        #expect(created.token.prefix == String(created.secret.prefix(12)))
        let stored = try await fixture.database.read { try $0.first("SELECT token_hash FROM api_tokens")!.blob(0) }
        #expect(stored == Crypto.sha256(created.secret))
        #expect(try await fixture.accounts.authenticate(apiToken: created.secret).principal.agent.id == ada.agentID)
        #expect(try await fixture.accounts.apiTokens(of: ada.agentID!).map(\.prefix) == [created.token.prefix])
        try await fixture.accounts.revokeAPIToken(created.token.id, by: ada)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(apiToken: created.secret) } != nil)
    }

    @Test("the last active Administrator cannot be demoted or deactivated")
    func lastAdministrator() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent("Admin")
        let id = admin.agentID!
        #expect(await domainError(.forbidden) { _ = try await fixture.accounts.updateAgent(id, AgentPatch(roleID: .agent), by: admin) } != nil)
        #expect(await domainError(.forbidden) { _ = try await fixture.accounts.updateAgent(id, AgentPatch(active: false), by: admin) } != nil)
        _ = try await fixture.agent("Second")
        let demoted = try await fixture.accounts.updateAgent(id, AgentPatch(roleID: .agent), by: admin)
        #expect(demoted.roleID == .agent)
    }

    @Test("built-in roles are seeded, cannot be deleted, and custom roles can be")
    func roles() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent("Admin")
        let roles = try await fixture.accounts.roles()
        #expect(roles.map(\.name) == ["Administrator", "Supervisor", "Agent"])
        #expect(roles[0].permissions == Set(Permission.allCases))
        #expect(roles[2].permissions.contains(.ticketAssign))
        #expect(!roles[2].permissions.contains(.ticketDelete))
        #expect(await domainError(.forbidden) { try await fixture.accounts.deleteRole(.supervisor, by: admin) } != nil)
        let custom = try await fixture.accounts.createRole(name: "Auditor", permissions: [.auditView], by: admin)
        try await fixture.accounts.deleteRole(custom.id, by: admin)
        #expect(try await fixture.accounts.roles().count == 3)
    }
}
