import Foundation
import Testing
@testable import Tickets

@Suite("AssignmentPicker")
struct AssignmentPickerTests {
    let ada = AgentID(1), bob = AgentID(2), cy = AgentID(3)

    func candidates(open: [AgentID: Int] = [:], inactive: Set<AgentID> = [], away: Set<AgentID> = []) -> [AgentID: AssignmentPicker.Candidate] {
        Dictionary(uniqueKeysWithValues: [(ada, "Ada"), (bob, "Bob"), (cy, "Cy")].map { id, name in
            (id, AssignmentPicker.Candidate(id: id, name: name, active: !inactive.contains(id), away: away.contains(id),
                                            openTickets: open[id] ?? 0))
        })
    }

    func rule(_ method: AssignmentMethod, cap: Int? = nil) -> AssignmentRule {
        AssignmentRule(id: AssignmentRuleID(1), name: "R", position: 1, enabled: true, conditions: AssignmentConditions(),
                       method: method, maxOpenPerAgent: cap, createdAt: Date(), updatedAt: Date())
    }

    @Test("empty condition sets match anything; a set matches only its values")
    func conditions() {
        #expect(AssignmentConditions().matches(category: .billing, priority: .low, channel: .email))
        let billingUrgent = AssignmentConditions(categories: [.billing], priorities: [.urgent, .high])
        #expect(billingUrgent.matches(category: .billing, priority: .high, channel: .chat))
        #expect(!billingUrgent.matches(category: .billing, priority: .low, channel: .chat))
        #expect(!billingUrgent.matches(category: .technical, priority: .urgent, channel: .chat))
        #expect(!AssignmentConditions(channels: [.phone]).matches(category: .general, priority: .medium, channel: .web))
    }

    @Test("round robin starts at the top of the pool and continues after the last assigned agent")
    func rotation() {
        let robin = rule(.roundRobin(pool: [ada, bob, cy]))
        let first = AssignmentPicker.pick(robin, category: .general, candidates: candidates(), lastAssigned: [:])
        #expect(first?.agent == ada && first?.reason == "round robin, first in the pool")
        let next = AssignmentPicker.pick(robin, category: .general, candidates: candidates(), lastAssigned: ["": bob])
        #expect(next?.agent == cy && next?.reason == "round robin, next after Bob")
        #expect(AssignmentPicker.pick(robin, category: .general, candidates: candidates(), lastAssigned: ["": cy])?.agent == ada)
    }

    @Test("round robin skips inactive, away and capped agents, and yields nobody when all are skipped")
    func skipping() {
        let robin = rule(.roundRobin(pool: [ada, bob, cy]), cap: 2)
        let some = candidates(open: [bob: 2], inactive: [ada])
        #expect(AssignmentPicker.pick(robin, category: .general, candidates: some, lastAssigned: [:])?.agent == cy)
        let none = candidates(open: [bob: 5], inactive: [ada], away: [cy])
        #expect(AssignmentPicker.pick(robin, category: .general, candidates: none, lastAssigned: [:]) == nil)
        let unknown = rule(.roundRobin(pool: [AgentID(99)]))
        #expect(AssignmentPicker.pick(unknown, category: .general, candidates: candidates(), lastAssigned: [:]) == nil)
    }

    @Test("category routing picks the fewest open tickets among the category's agents, ties by rotation")
    func categoryRouting() {
        let routing = rule(.categoryBased(routes: [.billing: [ada, bob, cy]]))
        let least = AssignmentPicker.pick(routing, category: .billing, candidates: candidates(open: [ada: 4, bob: 3, cy: 3]),
                                          lastAssigned: [:])
        #expect(least?.agent == bob && least?.reason == "Billing routing, least open tickets: 3" && least?.cursorKey == "billing")
        let tie = AssignmentPicker.pick(routing, category: .billing, candidates: candidates(open: [ada: 4, bob: 3, cy: 3]),
                                        lastAssigned: ["billing": bob])
        #expect(tie?.agent == cy)
        #expect(AssignmentPicker.pick(routing, category: .technical, candidates: candidates(), lastAssigned: [:]) == nil)
    }
}
