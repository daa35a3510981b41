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
    /// Events gather this long after a commit wakes the runner: a run may start a few
    /// milliseconds later, and under a stream of commits the runner wakes, reads and walks
    /// its workflows once per several events instead of once per event (in the workflows
    /// benchmark, waking per event cost about as much CPU as evaluating 500 conditions).
    public let gatherDelay: Duration = .milliseconds(5)
    /// How many workflow runs may lead one to another: an event a person caused is at depth 0,
    /// the changes of a run started by an event at depth d are at d + 1, and events at depth
    /// `maxDepth` start no workflow (their matches are logged as `depth_limit`). Three lets a
    /// triage chain of three rules work and stops two rules feeding each other after three rounds.
    public static let maxDepth = 3

    let database: Database
    let now: Clock
    let tokenKey: CredentialKey
    let makeMessageID: @Sendable (String) -> String
    private let cache = Mutex<Compiled?>(nil)

    /// The enabled workflows, compiled with their shared conditions numbered once.
    struct Compiled: Sendable {
        let workflows: [CompiledWorkflow]
        let sharing: ConditionSharing.Shared
        /// The workflows by trigger kind, in position order.
        let byKind: [WorkflowTrigger.Kind: [CompiledWorkflow]]

        init(workflows: [CompiledWorkflow], sharing: ConditionSharing.Shared) {
            self.workflows = workflows
            self.sharing = sharing
            byKind = Dictionary(grouping: workflows, by: \.workflow.trigger.kind)
        }

        /// The workflows whose trigger fires for `context`, in position order (no new array
        /// when all of its kind fire, as for "ticket created").
        func candidates(_ context: WorkflowContext) -> [CompiledWorkflow] {
            let ofKind = byKind[context.kind] ?? []
            return ofKind.allSatisfy { context.fires($0.workflow.trigger) } ? ofKind : ofKind.filter { context.fires($0.workflow.trigger) }
        }
    }

    /// A class: each event walks every candidate, and copying the struct (a workflow's
    /// strings and arrays) cost a retain per field per workflow.
    final class CompiledWorkflow: Sendable {
        let workflow: Workflow
        let conditions: CompiledConditions
        let needsContact: Bool

        init(workflow: Workflow, conditions: CompiledConditions, needsContact: Bool) {
            self.workflow = workflow
            self.conditions = conditions
            self.needsContact = needsContact
        }
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
        let compiled = try await compiled()
        let workflows = compiled.workflows, sharing = compiled.sharing
        guard !workflows.isEmpty else { return }
        // Most events carry their ticket: their conditions are evaluated here, with no
        // transaction at all; the database is read only for a match's depth, for events whose
        // ticket or email must be read, and for conditions on the contact.
        var inMemory: [(LoggedEvent, WorkflowContext, WorkflowFacts, [(Workflow, [CompiledConditions.Outcome])])] = []
        var needsDatabase: [LoggedEvent] = []
        for logged in events {
            guard let context = WorkflowContext.of(logged) else { continue }
            let candidates = compiled.candidates(context)
            guard !candidates.isEmpty else { continue }
            guard let ticket = context.ticket, !candidates.contains(where: \.needsContact) else {
                needsDatabase.append(logged)
                continue
            }
            var facts = WorkflowFacts(ticket: ticket)
            facts.extra = context.extra
            let matched = Self.evaluate(candidates, FactCache(facts, sharing: sharing))
            if !matched.isEmpty { inMemory.append((logged, context, facts, matched)) }
        }
        guard !inMemory.isEmpty || !needsDatabase.isEmpty else { return }
        let found = inMemory, deferred = needsDatabase
        let matches = try await database.read { db in
            var all = try Self.matches(deferred, compiled, db)
            for (logged, context, facts, matched) in found {
                let depth = try Self.depth(of: logged.id, db)
                all += matched.map { Match(workflow: $0.0, context: context, facts: facts, trace: $0.1, depth: depth, at: logged.at) }
            }
            // In log order, then in workflow order (`matched` keeps the position order).
            return all.enumerated().sorted { a, b in
                (a.element.context.eventID ?? 0, a.offset) < (b.element.context.eventID ?? 0, b.offset)
            }.map(\.element)
        }
        guard !matches.isEmpty else { return }
        try await database.write { db in
            for match in matches { try self.run(match, db) }
        }
    }

    /// The candidates whose conditions hold, each with its traced conditions for the run log,
    /// in position order. Evaluated with the short cut first; only a match is traced.
    static func evaluate(_ candidates: [CompiledWorkflow], _ cache: FactCache) -> [(Workflow, [CompiledConditions.Outcome])] {
        var matched: [(Workflow, [CompiledConditions.Outcome])] = []
        for candidate in candidates {
            var none: [CompiledConditions.Outcome]? = nil
            guard candidate.conditions.evaluate(cache, trace: &none) else { continue }
            var trace: [CompiledConditions.Outcome]? = []
            _ = candidate.conditions.evaluate(cache, trace: &trace)
            matched.append((candidate.workflow, trace ?? []))
        }
        return matched
    }

    /// The enabled workflows, compiled once and kept until a `workflow.*` event says they changed.
    func compiled() async throws -> Compiled {
        if let known = cache.withLock({ $0 }) { return known }
        let all = try await database.read { db in try WorkflowRecord.all(db) }
        var sharing = ConditionSharing()
        let workflows = all.filter(\.enabled).compactMap { w -> CompiledWorkflow? in
            // Saved workflows were validated; one that no longer compiles (a stricter build) is skipped.
            guard let conditions = try? CompiledConditions(w.conditions, sharing: &sharing) else { return nil }
            return CompiledWorkflow(workflow: w, conditions: conditions, needsContact: WorkflowFacts.needsContact(w.conditions))
        }
        let compiled = Compiled(workflows: workflows, sharing: sharing.shared)
        cache.withLock { $0 = compiled }
        return compiled
    }

    /// The (event, workflow) pairs whose trigger fired and whose conditions hold, in event
    /// then position order.
    static func matches(_ events: [LoggedEvent], _ compiled: Compiled, _ db: Connection) throws -> [Match] {
        var result: [Match] = []
        for logged in events {
            guard let context = WorkflowContext.of(logged) else { continue }
            let candidates = compiled.candidates(context)
            guard !candidates.isEmpty else { continue }
            var facts = try Self.facts(for: context, needsContact: candidates.contains(where: \.needsContact), db)
            guard facts.ticket != nil || facts.email != nil else { continue }
            facts.extra = context.extra
            let matched = Self.evaluate(candidates, FactCache(facts, sharing: compiled.sharing))
            guard !matched.isEmpty else { continue }
            let depth = try Self.depth(of: logged.id, db)
            result += matched.map { Match(workflow: $0.0, context: context, facts: facts, trace: $0.1, depth: depth, at: logged.at) }
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
        try WorkflowRunRecord.depth(causing: id, db)
    }
}
