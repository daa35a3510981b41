import Foundation
import Testing
@testable import Tickets

@Suite("AutoAssigner")
struct AutoAssignmentTests {
    /// Three agents and a round-robin rule over them.
    func setUp(_ fixture: Fixture, cap: Int? = nil) async throws -> ([AgentID], AssignmentRule) {
        var ids: [AgentID] = []
        for name in ["Ann", "Ben", "Cat"] { ids.append(try await fixture.agent(name).agentID!) }
        let rules = AssignmentRuleService(database: fixture.database, now: fixture.clock.clock)
        let rule = try await rules.create(AssignmentRuleDraft(name: "Everyone", method: .roundRobin(pool: ids), maxOpenPerAgent: cap),
                                          by: .system)
        return (ids, rule)
    }

    func counts(_ tickets: [Ticket]) -> [AgentID: Int] {
        tickets.reduce(into: [:]) { $0[$1.assigneeID ?? AgentID(0), default: 0] += 1 }
    }

    @Test("many tasks creating at once spread tickets evenly: counts per agent differ by at most 1")
    func concurrentFairness() async throws {
        let fixture = try Fixture()
        let (ids, _) = try await setUp(fixture)
        let tickets = try await withThrowingTaskGroup(of: Ticket.self) { group in
            for index in 0..<100 { group.addTask { try await fixture.ticket("Concurrent \(index)") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let spread = counts(tickets)
        #expect(Set(spread.keys) == Set(ids))
        #expect(spread.values.max()! - spread.values.min()! <= 1)
    }

    @Test("the rotation survives a restart: a reopened database continues after the last agent")
    func survivesRestart() async throws {
        let fixture = try Fixture()
        let (ids, _) = try await setUp(fixture)
        #expect(try await fixture.ticket().assigneeID == ids[0])
        let reopened = try Database(location: fixture.database.location)
        let service = TicketService(database: reopened, attachments: fixture.attachments, now: fixture.clock.clock)
        let draft = NewTicket(subject: "After restart", description: "", requester: .email(name: "G", email: "g@example.com"))
        #expect(try await service.createTicket(draft, by: .system).value.assigneeID == ids[1])
    }

    @Test("away, deactivated and capped agents are skipped; the audit entry names the rule and the reason")
    func skipsAndAudits() async throws {
        let fixture = try Fixture()
        let (ids, rule) = try await setUp(fixture, cap: 1)
        try await fixture.database.write { db in
            try db.run("UPDATE agents SET away = 1 WHERE id = ?", [.integer(ids[0].rawValue)])
            try db.run("UPDATE agents SET active = 0 WHERE id = ?", [.integer(ids[2].rawValue)])
        }
        let first = try await fixture.ticket()
        #expect(first.assigneeID == ids[1])
        let entry = try await fixture.tickets.timeline(first.id, for: .system).first { $0.action == .autoAssigned }
        #expect(entry?.after?.contains("\"rule\":\"Everyone\"") == true)
        #expect(entry?.after?.contains("round robin, first in the pool") == true)
        #expect(entry?.after?.contains("\"ruleID\":\(rule.id.rawValue)") == true)
        // Ben is now at the cap of 1 open ticket and everyone else is unavailable: nobody is assigned.
        #expect(try await fixture.ticket().assigneeID == nil)
    }

    @Test("rules run in position order; a non-matching or disabled rule is passed over; an explicit assignee wins")
    func orderAndConditions() async throws {
        let fixture = try Fixture()
        let (ids, general) = try await setUp(fixture)
        let rules = AssignmentRuleService(database: fixture.database, now: fixture.clock.clock)
        let billing = try await rules.create(AssignmentRuleDraft(
            name: "Billing", conditions: AssignmentConditions(categories: [.billing]),
            method: .categoryBased(routes: [.billing: [ids[2]]])), by: .system)
        // "Everyone" runs first: billing tickets go round robin.
        #expect(try await fixture.ticket { $0.category = .billing }.assigneeID == ids[0])
        _ = try await rules.reorder([billing.id, general.id], by: .system)
        #expect(try await fixture.ticket { $0.category = .billing }.assigneeID == ids[2])
        #expect(try await fixture.ticket { $0.category = .technical }.assigneeID == ids[1])
        _ = try await rules.update(billing.id, AssignmentRuleDraft(enabled: false), by: .system)
        #expect(try await fixture.ticket { $0.category = .billing }.assigneeID == ids[2])
        #expect(try await fixture.ticket { $0.assigneeID = ids[1] }.assigneeID == ids[1])
    }

    @Test("rule validation names the field: empty pools, unknown agents, bad caps, incomplete reorders")
    func validation() async throws {
        let fixture = try Fixture()
        let (_, rule) = try await setUp(fixture)
        let rules = AssignmentRuleService(database: fixture.database, now: fixture.clock.clock)
        let empty = await domainError(.validation) {
            _ = try await rules.create(AssignmentRuleDraft(name: "x", method: .roundRobin(pool: [])), by: .system)
        }
        #expect(empty?.field == "agentIds")
        let unknown = await domainError(.validation) {
            _ = try await rules.create(AssignmentRuleDraft(name: "x", method: .roundRobin(pool: [AgentID(999)])), by: .system)
        }
        #expect(unknown?.field == "agentIds")
        let cap = await domainError(.validation) { _ = try await rules.update(rule.id, AssignmentRuleDraft(maxOpenPerAgent: .some(0)), by: .system) }
        #expect(cap?.field == "maxOpenTickets")
        let reorder = await domainError(.validation) { _ = try await rules.reorder([], by: .system) }
        #expect(reorder?.field == "ids")
    }
}
