import Foundation

/// Runs the auto-assignment rules inside the ticket-creation transaction: the rules, the
/// agents' open-ticket counts and the rotation cursors are read, and the cursor advanced, on
/// the writer connection, so the rotation is exact under concurrent creation and restarts.
enum AutoAssigner {
    /// The rule that assigned a ticket, the agent and why.
    struct Outcome: Sendable {
        let rule: AssignmentRule
        let pick: AssignmentPicker.Pick
    }

    /// Evaluates the enabled rules in position order for a new ticket; the first that matches
    /// and yields an agent wins, and its cursor moves. Returns nil when no rule assigns.
    static func assign(category: TicketCategory, priority: TicketPriority, channel: TicketChannel,
                       _ db: Connection) throws -> Outcome? {
        let rules = try AssignmentRuleRecord.all(db).filter {
            $0.enabled && $0.conditions.matches(category: category, priority: priority, channel: channel)
        }
        guard !rules.isEmpty else { return nil }
        let candidates = try AssignmentRuleRecord.candidates(Set(rules.flatMap { $0.method.agents }), db)
        for rule in rules {
            let cursors = try AssignmentRuleRecord.cursors(of: rule.id, db)
            guard let pick = AssignmentPicker.pick(rule, category: category, candidates: candidates, lastAssigned: cursors) else {
                continue
            }
            try AssignmentRuleRecord.advance(rule.id, key: pick.cursorKey, to: pick.agent, db)
            return Outcome(rule: rule, pick: pick)
        }
        return nil
    }

    /// The audit values of an automatic assignment: the agent, the rule and the reason.
    static func auditValues(_ outcome: Outcome) -> AuditLog.Values {
        ["assignee": .int(outcome.pick.agent.rawValue), "ruleID": .int(outcome.rule.id.rawValue),
         "rule": .string(outcome.rule.name), "method": .string(outcome.rule.method.name), "reason": .string(outcome.pick.reason)]
    }
}
