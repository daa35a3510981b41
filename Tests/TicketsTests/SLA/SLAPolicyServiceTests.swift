import Foundation
import Testing
@testable import Tickets

@Suite("SLAPolicyService")
struct SLAPolicyServiceTests {
    func draft(_ name: String, isDefault: Bool = false) -> SLAPolicyDraft {
        SLAPolicyDraft(name: name, firstResponse: PriorityTargets(urgent: 30, high: 60, medium: 120, low: 240),
                       resolution: PriorityTargets(urgent: 240, high: 480, medium: 960, low: 1_920), isDefault: isDefault)
    }

    @Test("validation names the offending field")
    func validation() async throws {
        let f = try Fixture()
        let service = SLAPolicyService(database: f.database, now: f.clock.clock)
        var bad = draft(" ")
        #expect(await domainError(.validation) { _ = try await service.create(bad, by: .system) }?.field == "name")
        bad = draft("Zero"); bad.firstResponse.high = 0
        #expect(await domainError(.validation) { _ = try await service.create(bad, by: .system) }?.field == "firstResponse.high")
        bad = draft("Zone"); bad.timeZoneID = "Mars/Olympus"
        #expect(await domainError(.validation) { _ = try await service.create(bad, by: .system) }?.field == "timeZone")
        bad = draft("Days"); bad.hours.weekdays = []
        #expect(await domainError(.validation) { _ = try await service.create(bad, by: .system) }?.field == "hours.weekdays")
        bad = draft("Warn"); bad.warningPercent = 100
        #expect(await domainError(.validation) { _ = try await service.create(bad, by: .system) }?.field == "warningPercent")
        _ = try await service.create(draft("Gold"), by: .system)
        #expect(await domainError(.conflict) { _ = try await service.create(draft("gold"), by: .system) } != nil)
    }

    @Test("policies list the default first, then by name in any case; a policy may take its own name in another case")
    func orderAndOwnName() async throws {
        let f = try Fixture()
        let service = SLAPolicyService(database: f.database, now: f.clock.clock)
        let bronze = try await service.create(draft("bronze"), by: .system)
        _ = try await service.create(draft("Alpha"), by: .system)
        _ = try await service.create(draft("Copper"), by: .system)
        let policies = try await service.policies(for: .system)
        #expect(policies.first?.isDefault == true)
        #expect(policies.dropFirst().map(\.name) == ["Alpha", "bronze", "Copper"])
        #expect(try await service.update(bronze.id, draft("BRONZE"), by: .system).policy.name == "BRONZE")
        #expect(await domainError(.conflict) { _ = try await service.update(bronze.id, draft("alpha"), by: .system) }?.field == "name")
    }

    @Test("only agents with sla.manage may change policies")
    func permissions() async throws {
        let f = try Fixture()
        let service = SLAPolicyService(database: f.database, now: f.clock.clock)
        let agent = try await f.agent("Ann", role: .agent)
        #expect(await domainError(.forbidden) { _ = try await service.create(draft("Gold"), by: agent) } != nil)
        #expect(try await service.policies(for: agent).count == 1)
        let admin = try await f.agent("Bea", role: .administrator)
        #expect(try await service.create(draft("Gold"), by: admin).name == "Gold")
    }

    @Test("exactly one policy is default: marking another moves it, the default cannot be unmarked or deleted")
    func exactlyOneDefault() async throws {
        let f = try Fixture()
        let service = SLAPolicyService(database: f.database, now: f.clock.clock)
        let standard = try await service.policies(for: .system)[0]
        #expect(standard.isDefault)
        let gold = try await service.create(draft("Gold", isDefault: true), by: .system)
        let all = try await service.policies(for: .system)
        #expect(all.filter(\.isDefault).map(\.id) == [gold.id])
        #expect(await domainError(.validation) { _ = try await service.update(gold.id, draft("Gold"), by: .system) } != nil)
        #expect(await domainError(.conflict) { _ = try await service.delete(gold.id, by: .system) } != nil)
        let ticket = try await f.ticket()
        try await service.assign(standard.id, to: ticket.id, by: .system)
        #expect(try await service.delete(standard.id, by: .system) == [ticket.id])
        #expect(try await f.tickets.slaSummary(ticket.id, for: .system)?.policyID == gold.id)
    }
}
