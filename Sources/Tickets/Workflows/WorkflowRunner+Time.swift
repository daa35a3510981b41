import Foundation

extension WorkflowRunner {
    /// Tickets one time trigger looks at per check: the oldest quiet ones first; the rest are
    /// taken at the next check (a minute later), so a check is a bounded transaction.
    static let maxTicketsPerTimeCheck = 200

    /// Runs the time-based workflows ("in status S, unchanged for N hours", in business hours
    /// of the ticket's SLA calendar when asked) that are due at `now()`. A ticket qualifies
    /// once per quiet period: the run key holds its `updated_at`, so a change (including one
    /// the workflow makes) starts a new period. Called on a schedule by the composition root
    /// (and when the test clock moves). Returns how many runs it made.
    @discardableResult
    public func checkTimeTriggers() async throws -> Int {
        let timed = try await compiled().workflows.filter { $0.workflow.trigger.kind == .timeElapsed }
        guard !timed.isEmpty else { return 0 }
        let at = now()
        var total = 0
        for candidate in timed {
            let matches = try await database.read { db in try Self.due(candidate, at: at, db) }
            guard !matches.isEmpty else { continue }
            try await database.write { db in
                for (key, match) in matches { try self.run(match, key: key, db) }
            }
            total += matches.count
        }
        return total
    }

    /// The (run key, match) pairs of one time workflow at `at`.
    private static func due(_ candidate: CompiledWorkflow, at: Date, _ db: Connection) throws -> [(String, Match)] {
        let trigger = candidate.workflow.trigger
        guard let status = trigger.status, let hours = trigger.hours else { return [] }
        let seconds = hours * 3_600
        // Business time never exceeds wall time, so the wall-clock cutoff bounds the candidates.
        let rows = try WorkflowRunRecord.timeCandidates(workflow: candidate.workflow.id, status: status,
                                                        updatedBy: at.addingTimeInterval(-seconds), limit: maxTicketsPerTimeCheck, db)
        var result: [(String, Match)] = []
        for (id, updatedAt) in rows {
            let since = SQLDate.date(updatedAt)
            if trigger.businessHours == true, let calendar = try calendar(of: id, db),
               calendar.businessSeconds(from: since, to: at) < seconds { continue }
            let context = WorkflowContext(kind: .timeElapsed, eventID: nil, ticketID: id)
            var facts = try Self.facts(for: context, needsContact: candidate.needsContact, db)
            facts.extra = [:]
            var trace: [CompiledConditions.Outcome]? = []
            guard facts.ticket != nil, candidate.conditions.evaluate(facts, trace: &trace) else { continue }
            let key = "\(candidate.workflow.id):t\(id):\(updatedAt)"
            result.append((key, Match(workflow: candidate.workflow, context: context, facts: facts, trace: trace ?? [], depth: 0, at: at)))
        }
        return result
    }

    /// The business calendar of the ticket's SLA policy (nil without one: wall time is used).
    private static func calendar(of ticket: TicketID, _ db: Connection) throws -> BusinessCalendar? {
        guard let policy = try WorkflowRunRecord.slaPolicy(of: ticket, db) else { return nil }
        return try? SLAPolicyRecord.load(policy, db).calendar
    }
}
