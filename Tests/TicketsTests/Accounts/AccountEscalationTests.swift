import Foundation
import Testing
@testable import Tickets

@Suite("AccountService grants and tokens")
struct AccountEscalationTests {
    /// An agent whose custom role holds exactly `permissions`.
    private func manager(_ fixture: Fixture, _ permissions: Set<Permission>) async throws -> Actor {
        let role = try await fixture.accounts.createRole(name: "Manager \(permissions.count)", permissions: permissions, by: .system)
        return try await fixture.agent("Manager", role: role.id)
    }

    @Test("a users.manage holder cannot give anyone, themselves included, a role with permissions they lack")
    func usersManageCannotEscalate() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Admin")
        let manager = try await manager(fixture, [.usersManage, .ticketView])
        let forbidden = await domainError(.forbidden) {
            _ = try await fixture.accounts.updateAgent(manager.agentID!, AgentPatch(roleID: .administrator), by: manager)
        }
        #expect(forbidden?.field == "roleId")
        #expect(await domainError(.forbidden) {
            _ = try await fixture.accounts.createAgent(name: "Sock", email: "sock@example.com", password: "a long password",
                                                       role: .supervisor, by: manager)
        } != nil)
        #expect(try await fixture.accounts.principal(for: manager.agentID!).permissions == [.usersManage, .ticketView])
    }

    @Test("a users.manage holder cannot reset the password of, rename or deactivate a more powerful agent")
    func usersManageCannotTakeOver() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent("Admin")
        let manager = try await manager(fixture, [.usersManage, .ticketView])
        #expect(await domainError(.forbidden) {
            try await fixture.accounts.setPassword(admin.agentID!, to: "taken over by me", by: manager)
        } != nil)
        #expect(await domainError(.forbidden) {
            _ = try await fixture.accounts.updateAgent(admin.agentID!, AgentPatch(email: "me@evil.example"), by: manager)
        } != nil)
        #expect(await domainError(.forbidden) {
            _ = try await fixture.accounts.updateAgent(admin.agentID!, AgentPatch(active: false), by: manager)
        } != nil)
    }

    @Test("a roles.manage holder cannot add permissions they lack to any role, their own included")
    func rolesManageCannotEscalate() async throws {
        let fixture = try Fixture()
        _ = try await fixture.agent("Admin")
        let manager = try await manager(fixture, [.rolesManage, .ticketView])
        let principal = try await fixture.accounts.principal(for: manager.agentID!)
        let forbidden = await domainError(.forbidden) {
            _ = try await fixture.accounts.updateRole(principal.agent.roleID, name: nil,
                                                      permissions: [.rolesManage, .ticketView, .usersManage], by: manager)
        }
        #expect(forbidden?.message.contains("users.manage") == true)
        #expect(await domainError(.forbidden) {
            _ = try await fixture.accounts.createRole(name: "Everything", permissions: Set(Permission.allCases), by: manager)
        } != nil)
        // Removing a permission, or granting one held, is fine.
        _ = try await fixture.accounts.createRole(name: "Viewer", permissions: [.ticketView], by: manager)
    }

    @Test("deactivating an agent revokes their API tokens")
    func deactivationRevokesTokens() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent("Admin")
        let ada = try await fixture.agent("Ada", role: .agent)
        let created = try await fixture.accounts.createAPIToken(name: "CI", by: ada)
        _ = try await fixture.accounts.updateAgent(ada.agentID!, AgentPatch(active: false), by: admin)
        _ = try await fixture.accounts.updateAgent(ada.agentID!, AgentPatch(active: true), by: admin)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(apiToken: created.secret) } != nil)
        #expect(try await fixture.accounts.apiTokens(of: ada.agentID!).first?.revokedAt != nil)
    }

    @Test("a password change revokes API tokens only when asked to")
    func passwordChangeRevokesOnRequest() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada", role: .agent)
        let kept = try await fixture.accounts.createAPIToken(name: "kept", by: ada)
        try await fixture.accounts.changeOwnPassword(current: "correct horse", to: "second passphrase here", ip: "1.1.1.1", by: ada)
        _ = try await fixture.accounts.authenticate(apiToken: kept.secret)
        try await fixture.accounts.changeOwnPassword(current: "second passphrase here", to: "third passphrase here",
                                                     revokeTokens: true, ip: "1.1.1.1", by: ada)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(apiToken: kept.secret) } != nil)
    }

    @Test("a token stops working at its expiry; an expiry in the past is refused")
    func expiry() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada")
        let now = fixture.clock.clock()
        let created = try await fixture.accounts.createAPIToken(
            name: "short", scope: APITokenScope(expiresAt: now.addingTimeInterval(3600)), by: ada)
        _ = try await fixture.accounts.authenticate(apiToken: created.secret)
        fixture.clock.advance(3600)
        #expect(await domainError(.unauthenticated) { _ = try await fixture.accounts.authenticate(apiToken: created.secret) } != nil)
        let error = await domainError(.validation) {
            _ = try await fixture.accounts.createAPIToken(name: "past", scope: APITokenScope(expiresAt: now), by: ada)
        }
        #expect(error?.field == "expiresAt")
    }

    @Test("a scoped token holds only its permissions within the owner's; a read-only one only viewing ones")
    func scope() async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent("Ada", role: .agent)
        let limited = try await fixture.accounts.createAPIToken(
            name: "view", scope: APITokenScope(permissions: [.ticketView, .ticketCreate]), by: agent)
        #expect(try await fixture.accounts.authenticate(apiToken: limited.secret).principal.permissions == [.ticketView, .ticketCreate])
        let reader = try await fixture.accounts.createAPIToken(name: "read", scope: APITokenScope(readOnly: true), by: agent)
        let resolved = try await fixture.accounts.authenticate(apiToken: reader.secret)
        #expect(resolved.token.readOnly)
        #expect(resolved.principal.permissions.contains(.ticketView))
        #expect(resolved.principal.permissions.isSubset(of: APIToken.readPermissions))
        #expect(await domainError(.forbidden) {
            _ = try await fixture.accounts.createAPIToken(name: "more", scope: APITokenScope(permissions: [.usersManage]), by: agent)
        } != nil)
    }

    @Test("a token's last use is recorded at most once a minute")
    func lastUse() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada")
        let created = try await fixture.accounts.createAPIToken(name: "CI", by: ada)
        let first = fixture.clock.clock()
        _ = try await fixture.accounts.authenticate(apiToken: created.secret)
        fixture.clock.advance(30)
        _ = try await fixture.accounts.authenticate(apiToken: created.secret)
        #expect(try await fixture.accounts.apiTokens(of: ada.agentID!).first?.lastUsedAt == first)
        fixture.clock.advance(31)
        _ = try await fixture.accounts.authenticate(apiToken: created.secret)
        #expect(try await fixture.accounts.apiTokens(of: ada.agentID!).first?.lastUsedAt == first.addingTimeInterval(61))
    }
}
