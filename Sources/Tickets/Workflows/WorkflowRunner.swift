import Foundation
import Synchronization

/// Runs the workflows: the event log's `workflows` consumer. For each event a trigger listens
/// to, the enabled workflows are checked in position order; the conditions are evaluated in a
/// read transaction, and only a batch where some workflow matched opens a write transaction,
/// holding each matching workflow's actions, their events, the run's log row and the ticket's
/// timeline entry. A run's `run_key` (`<workflow>:<event>`) is UNIQUE and checked before
/// acting in that same transaction, so an event handed over again after a crash runs nothing
/// twice, and none is missed (the relay never skips an event).
///
/// Each action runs inside a savepoint: a failing one is rolled back alone and recorded with
/// its error, and the others still run. Changes made by workflows can trigger workflows again,
/// down to `maxDepth`.
public final class WorkflowRunner: EventConsumer {
    public let name = "workflows"
    /// How many workflow runs may lead one to another: an event a person caused is at depth 0,
    /// the changes of a run started by an event at depth d are at d + 1, and events at depth
    /// `maxDepth` start no workflow (their matches are logged as `depth_limit`). Three lets a
    /// triage chain of three rules work and stops two rules feeding each other after three rounds.
    public static let maxDepth = 3

    let database: Database
    let now: Clock
    let tokenKey: CredentialKey
    let makeMessageID: @Sendable (String) -> String
    private let cache = Mutex<[CompiledWorkflow]?>(nil)

    struct CompiledWorkflow: Sendable {
        let workflow: Workflow
        let conditions: CompiledConditions
        let needsContact: Bool
    }

    /// One workflow whose trigger fired and whose conditions held for one event.
    struct Match: Sendable {
        let workflow: Workflow
        let context: WorkflowContext
        let facts: WorkflowFacts
        let trace: [CompiledConditions.Outcome]
        let depth: Int
        let at: Date
    }

    /// `makeMessageID(domain)` mints the Message-IDs of workflow emails (random; injected in tests).
    public init(database: Database, tokenKey: CredentialKey, now: @escaping Clock,
                makeMessageID: @escaping @Sendable (String) -> String) {
        self.database = database
        self.now = now
        self.tokenKey = tokenKey
        self.makeMessageID = makeMessageID
    }

    public func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        if events.contains(where: { if case .record(let r) = $0.event { r.entity == "workflow" } else { false } }) {
            cache.withLock { $0 = nil }
        }
        let workflows = try await compiled()
        guard workflows.contains(where: \.workflow.enabled) else { return }
        let matches = try await database.read { db in try Self.matches(events, workflows, db) }
        guard !matches.isEmpty else { return }
        try await database.write { db in
            for match in matches { try self.run(match, db) }
        }
    }

    /// The enabled workflows, compiled once and kept until a `workflow.*` event says they changed.
    func compiled() async throws -> [CompiledWorkflow] {
        if let known = cache.withLock({ $0 }) { return known }
        let all = try await database.read { db in try WorkflowRecord.all(db) }
        let compiled = all.filter(\.enabled).compactMap { w -> CompiledWorkflow? in
            // Saved workflows were validated; one that no longer compiles (a stricter build) is skipped.
            guard let conditions = try? CompiledConditions(w.conditions) else { return nil }
            return CompiledWorkflow(workflow: w, conditions: conditions, needsContact: WorkflowFacts.needsContact(w.conditions))
        }
        cache.withLock { $0 = compiled }
        return compiled
    }

    /// The (event, workflow) pairs whose trigger fired and whose conditions hold, in event
    /// then position order.
    static func matches(_ events: [LoggedEvent], _ workflows: [CompiledWorkflow], _ db: Connection) throws -> [Match] {
        var result: [Match] = []
        for logged in events {
            guard let context = WorkflowContext.of(logged) else { continue }
            let candidates = workflows.filter { $0.workflow.enabled && context.fires($0.workflow.trigger) }
            guard !candidates.isEmpty else { continue }
            var facts = try Self.facts(for: context, needsContact: candidates.contains(where: \.needsContact), db)
            guard facts.ticket != nil || facts.email != nil else { continue }
            facts.extra = context.extra
            let depth = try Self.depth(of: logged.id, db)
            for candidate in candidates {
                var trace: [CompiledConditions.Outcome]? = []
                guard candidate.conditions.evaluate(facts, trace: &trace) else { continue }
                result.append(Match(workflow: candidate.workflow, context: context, facts: facts, trace: trace ?? [],
                                    depth: depth, at: logged.at))
            }
        }
        return result
    }

    /// The facts conditions see: the event's ticket (read when the event carries none), the
    /// email, and the requester contact when a condition asks for it.
    static func facts(for context: WorkflowContext, needsContact: Bool, _ db: Connection) throws -> WorkflowFacts {
        var facts = WorkflowFacts()
        if let ticket = context.ticket {
            facts.ticket = ticket
        } else if let id = context.ticketID {
            facts.ticket = try TicketRecord.find(id, db)
        }
        if let email = context.emailID { facts.email = try StoredEmailRecord.find(email, db) }
        if needsContact, let ticket = facts.ticket { facts.contact = try ContactStore.find(ticket.requesterID, db) }
        return facts
    }

    /// How many workflow runs led to event `id` (0 when a person or the system caused it).
    static func depth(of id: Int64, _ db: Connection) throws -> Int {
        try db.first("""
            SELECT depth FROM workflow_runs WHERE caused_last >= ? AND caused_first <= ? ORDER BY caused_last LIMIT 1
            """, [.integer(id), .integer(id)])?.int(0) ?? 0
    }
}
