import Foundation
import Testing
@testable import Tickets

/// Condition evaluation: every operator on single and multi-valued fields, all/any groups,
/// nesting, validation when saved, and the trace the run log keeps.
@Suite("WorkflowConditions")
struct WorkflowConditionsTests {
    private var facts: WorkflowFacts {
        let ticket = Ticket(id: TicketID(1), number: 7, subject: "Invoice 2024 wrong", description: "Please fix", status: .open,
                            priority: .medium, category: .general, channel: .email, dueAt: nil, requesterID: ContactID(1),
                            assigneeID: nil, tags: ["billing", "vip"], createdAt: Date(), updatedAt: Date(), firstResponseAt: nil,
                            resolvedAt: nil, closedAt: nil, version: 1)
        let email = StoredEmail(fromAddress: "ann@bigcustomer.com", fromName: "Ann B", subject: "Invoice 2024 wrong",
                                text: "Hello,\nthe invoice is wrong.", recipients: ["support@desk.test", "cc@desk.test"],
                                headers: [EmailHeader(name: "X-Priority", value: "1 (Highest)")])
        return WorkflowFacts(ticket: ticket, email: email)
    }

    private func holds(_ field: String, _ op: Condition.Operator, _ value: String? = nil, values: [String]? = nil) throws -> Bool {
        try CompiledConditions(ConditionGroup(conditions: [.condition(Condition(field: field, op: op, value: value, values: values))]))
            .evaluate(facts)
    }

    @Test("equals and not_equals compare whole values, ignoring case; on a list, any value counts")
    func equality() throws {
        #expect(try holds("ticket.priority", .equals, "MEDIUM"))
        #expect(try !holds("ticket.priority", .equals, "high"))
        #expect(try holds("ticket.priority", .notEquals, "high"))
        #expect(try !holds("ticket.priority", .notEquals, "medium"))
        #expect(try holds("ticket.tags", .equals, "vip"))
        #expect(try !holds("ticket.tags", .notEquals, "vip"))
        #expect(try holds("email.to", .equals, "cc@desk.test"))
    }

    @Test("one_of holds when the value is in the list")
    func oneOf() throws {
        #expect(try holds("ticket.channel", .oneOf, values: ["web", "Email"]))
        #expect(try !holds("ticket.channel", .oneOf, values: ["web", "phone"]))
    }

    @Test("contains, starts_with and ends_with work on text, ignoring case")
    func text() throws {
        #expect(try holds("email.subject", .contains, "invoice"))
        #expect(try !holds("email.subject", .contains, "refund"))
        #expect(try holds("email.subject", .startsWith, "invoice 20"))
        #expect(try !holds("email.subject", .startsWith, "wrong"))
        #expect(try holds("email.from", .endsWith, "@BigCustomer.com"))
        #expect(try !holds("email.from", .endsWith, "@other.com"))
        #expect(try holds("email.body", .contains, "is wrong"))
        #expect(try holds("email.header.x-priority", .startsWith, "1"))
        #expect(try holds("contact.email", .endsWith, "bigcustomer.com"))
    }

    @Test("contains finds bytes anywhere: at the start, at the end, across non-ASCII text, never past the end")
    func byteSearch() {
        func has(_ text: String, _ part: String) -> Bool { CompiledConditions.bytes(text, contain: Array(part.utf8)) }
        #expect(has("invoice wrong.", "inv") && has("invoice wrong.", "wrong.") && has("x", "") && has("grüße aus köln", "ße aus kö"))
        #expect(!has("wrong", "wrong.") && !has("", "a") && !has("aab", "abb") && !has("über", "ubé"))
    }

    @Test("matches uses the bounded pattern engine")
    func matches() throws {
        #expect(try holds("email.subject", .matches, "^invoice \\d{4}\\b"))
        #expect(try !holds("email.subject", .matches, "^refund"))
    }

    @Test("is_empty holds for blank or absent values")
    func isEmpty() throws {
        #expect(try holds("ticket.assignee", .isEmpty))
        #expect(try !holds("ticket.tags", .isEmpty))
        #expect(try holds("survey.rating", .isEmpty))
        #expect(try !holds("email.subject", .isEmpty))
    }

    @Test("all needs every condition, any needs one; groups nest; an empty group holds")
    func groups() throws {
        let yes = ConditionItem.condition(Condition(field: "ticket.priority", op: .equals, value: "medium"))
        let no = ConditionItem.condition(Condition(field: "ticket.priority", op: .equals, value: "low"))
        #expect(try CompiledConditions(ConditionGroup(match: .all, conditions: [yes, yes])).evaluate(facts))
        #expect(try !CompiledConditions(ConditionGroup(match: .all, conditions: [yes, no])).evaluate(facts))
        #expect(try CompiledConditions(ConditionGroup(match: .any, conditions: [no, yes])).evaluate(facts))
        #expect(try !CompiledConditions(ConditionGroup(match: .any, conditions: [no, no])).evaluate(facts))
        let nested = ConditionGroup(match: .all, conditions: [yes, .group(ConditionGroup(match: .any, conditions: [no, yes]))])
        #expect(try CompiledConditions(nested).evaluate(facts))
        #expect(try CompiledConditions(ConditionGroup()).evaluate(facts))
    }

    @Test("the trace lists every condition with its outcome, even after the answer is known")
    func trace() throws {
        let group = ConditionGroup(match: .all, conditions: [
            .condition(Condition(field: "ticket.priority", op: .equals, value: "low")),
            .condition(Condition(field: "email.subject", op: .contains, value: "invoice")),
        ])
        var trace: [CompiledConditions.Outcome]? = []
        #expect(try !CompiledConditions(group).evaluate(facts, trace: &trace))
        #expect(trace?.map(\.matched) == [false, true])
    }

    @Test("saving refuses unknown fields, missing values, bad patterns, too many conditions and deep nesting, naming the path")
    func validation() {
        func refused(_ group: ConditionGroup) -> String? {
            do { _ = try CompiledConditions(group); return nil } catch let e as DomainError { return e.field } catch { return "?" }
        }
        #expect(refused(ConditionGroup(conditions: [.condition(Condition(field: "ticket.colour", op: .equals, value: "x"))])) == "conditions[0].field")
        #expect(refused(ConditionGroup(conditions: [.condition(Condition(field: "ticket.subject", op: .contains))])) == "conditions[0].value")
        #expect(refused(ConditionGroup(conditions: [.condition(Condition(field: "ticket.subject", op: .matches, value: "(a+)+$"))])) == nil)
        #expect(refused(ConditionGroup(conditions: [.condition(Condition(field: "ticket.subject", op: .matches, value: "(a)\\1"))])) == "conditions[0].value")
        #expect(refused(ConditionGroup(conditions: [.condition(Condition(field: "ticket.channel", op: .oneOf, values: []))])) == "conditions[0].values")
        let many = Array(repeating: ConditionItem.condition(Condition(field: "ticket.subject", op: .isEmpty)), count: 51)
        #expect(refused(ConditionGroup(conditions: many)) == "conditions[50]")
        let deep = ConditionGroup(conditions: [.group(ConditionGroup(conditions: [.group(ConditionGroup(conditions: [.group(ConditionGroup())]))]))])
        #expect(refused(deep) != nil)
    }

    @Test("conditions round-trip through JSON, groups told apart by their match key")
    func coding() throws {
        let group = ConditionGroup(match: .any, conditions: [
            .condition(Condition(field: "email.subject", op: .contains, value: "invoice")),
            .group(ConditionGroup(match: .all, conditions: [.condition(Condition(field: "ticket.tags", op: .isEmpty))])),
        ])
        let data = try JSONEncoder().encode(group)
        #expect(try JSONDecoder().decode(ConditionGroup.self, from: data) == group)
    }

    @Test("conditions shared by workflows compiled together give each workflow its own answer and trace, as compiled alone")
    func sharedConditions() throws {
        let priority = { (value: String) in ConditionItem.condition(Condition(field: "ticket.priority", op: .equals, value: value)) }
        let subject = ConditionItem.condition(Condition(field: "email.subject", op: .matches, value: "invoice \\d+"))
        let header = ConditionItem.condition(Condition(field: "email.header.x-priority", op: .startsWith, value: "1"))
        let channel = ConditionItem.condition(Condition(field: "ticket.channel", op: .oneOf, values: ["web", "email"]))
        let groups = [
            ConditionGroup(match: .all, conditions: [priority("medium"), subject, header]),
            ConditionGroup(match: .any, conditions: [priority("low"), subject]),
            ConditionGroup(match: .all, conditions: [priority("low"), channel]),
            ConditionGroup(match: .any, conditions: [channel, header, .group(ConditionGroup(match: .all, conditions: [subject, priority("medium")]))]),
        ]
        var sharing = ConditionSharing()
        let shared = try groups.map { try CompiledConditions($0, sharing: &sharing) }
        let cache = FactCache(facts, sharing: sharing.shared)
        for (group, compiled) in zip(groups, shared) {
            var alone: [CompiledConditions.Outcome]? = [], together: [CompiledConditions.Outcome]? = []
            let expected = try CompiledConditions(group).evaluate(facts, trace: &alone)
            #expect(compiled.evaluate(cache, trace: &together) == expected)
            #expect(together == alone)
        }
        #expect(shared.map { $0.evaluate(facts) } == [true, true, false, true])
    }

    @Test("a cache made for one sharing never answers for conditions numbered in another")
    func sharingsAreKeptApart() throws {
        // Both are condition number 0 of their own sharing; the first holds, the second does not.
        var first = ConditionSharing(), second = ConditionSharing()
        let holds = try CompiledConditions(ConditionGroup(conditions: [.condition(Condition(field: "ticket.priority", op: .equals, value: "medium"))]), sharing: &first)
        let fails = try CompiledConditions(ConditionGroup(conditions: [.condition(Condition(field: "ticket.priority", op: .equals, value: "low"))]), sharing: &second)
        let cache = FactCache(facts, sharing: first.shared)
        var none: [CompiledConditions.Outcome]? = nil
        #expect(holds.evaluate(cache, trace: &none))
        #expect(!fails.evaluate(cache, trace: &none))
        let plain = FactCache(facts)
        #expect(holds.evaluate(plain, trace: &none) && !fails.evaluate(plain, trace: &none))
    }
}
