import Foundation

/// What one action did, for the run log.
public struct ActionResult: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case done, skipped, failed }
    public let type: WorkflowAction.Kind
    public let status: Status
    public let detail: String
}

/// Why an action did nothing, without failing (a loop rule held back an email).
struct ActionSkipped: Error {
    let reason: String
}

extension WorkflowRunner {
    /// Runs one match on the write transaction: actions each in a savepoint, their events
    /// logged as the workflow, the run row, and the ticket's timeline entry. Does nothing when
    /// the run is already logged (the event was handed over again).
    func run(_ match: Match, _ db: Connection) throws {
        let key = "\(match.workflow.id):\(match.context.eventID.map(String.init) ?? "")"
        try run(match, key: key, db)
    }

    func run(_ match: Match, key: String, _ db: Connection) throws {
        guard try !WorkflowRunRecord.exists(key, db) else { return }
        let at = now()
        let actor = EventActor(kind: .system, id: nil, name: "Workflow: \(match.workflow.name)")
        var state = RunState(ticket: match.facts.ticket, email: match.facts.email, eventID: match.context.eventID)
        var results: [ActionResult] = []
        let head = try EventLog.head(db)
        let outcome: String
        if match.depth >= Self.maxDepth {
            outcome = "depth_limit"
        } else {
            for action in match.workflow.actions {
                try db.run("SAVEPOINT workflow_action")
                do {
                    let (detail, events) = try perform(action, &state, workflow: match.workflow, at: at, db)
                    try EventLog.append(events.map(DomainEvent.ticket), by: actor, at: at, db)
                    try db.run("RELEASE workflow_action")
                    results.append(ActionResult(type: action.type, status: .done, detail: detail))
                } catch {
                    try db.run("ROLLBACK TO workflow_action")
                    try db.run("RELEASE workflow_action")
                    if let skipped = error as? ActionSkipped {
                        results.append(ActionResult(type: action.type, status: .skipped, detail: skipped.reason))
                    } else {
                        results.append(ActionResult(type: action.type, status: .failed, detail: Self.describe(error)))
                    }
                }
            }
            outcome = results.contains { $0.status == .failed } ? "failed" : "done"
        }
        let last = try EventLog.head(db)
        let caused = last > head
        let runID = try WorkflowRunRecord.insert(.init(
            key: key, workflow: match.workflow, eventID: match.context.eventID, trigger: match.context.kind.rawValue,
            ticketID: state.ticket?.id, emailID: state.email?.id, depth: match.depth + 1, outcome: outcome,
            conditionsJSON: try WorkflowRecord.json(match.trace), actionsJSON: try WorkflowRecord.json(results),
            caused: caused ? (head + 1, last) : nil, at: at), db)
        if let ticket = state.ticket {
            try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .workflowRan, before: nil,
                                after: ["workflow": .string(match.workflow.name), "workflowId": .int(match.workflow.id.rawValue),
                                        "run": .int(runID), "outcome": .string(outcome)], at: at)
        }
    }

    /// A readable error for the run log: a domain error's message, else its description.
    static func describe(_ error: Error) -> String {
        if let domain = error as? DomainError { return domain.message + (domain.field.map { " (\($0))" } ?? "") }
        return String("\(error)".prefix(500))
    }
}

/// What a run carries from one action to the next: the ticket as the previous action left it
/// (or made it, for `create_ticket`).
struct RunState {
    var ticket: Ticket?
    var email: StoredEmail?
    var eventID: Int64?
}
