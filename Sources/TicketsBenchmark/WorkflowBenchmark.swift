import Foundation
import Tickets

/// The `workflows` command: what 100 enabled workflows of 5 conditions each cost. On a fresh
/// database it creates them (trigger "ticket created"; half "all of" with the last condition
/// failing, half "any of" with none holding, so every condition of every workflow is evaluated
/// for every event: the worst case for evaluation; one operator of each kind, a pattern among
/// them), then in the same run:
///
/// - evaluation: the runner's `handle` for one `ticket.created` event at a time (the ticket
///   from the event, 500 conditions, no transaction when nothing matches), p50/p99 per event,
///   and the conditions alone (no runner) for comparison;
/// - creation throughput: tickets created one after another through the real command while
///   the relay runs the notifications consumer, without and then with the workflow runner,
///   alternated `rounds` times (throughput from the totals, and the process's CPU time per
///   ticket, which a busy machine disturbs less than wall time), and the consumers' lag when
///   the writer stops.
struct WorkflowBenchmark {
    let path: String
    let tickets: Int
    /// "with" or "without": run only that creation phase.
    let only: String?
    /// How many times the without and with creation phases alternate.
    let rounds: Int

    static let workflowCount = 100

    func run() async throws {
        let database = try Database(path: path)
        let clock: Clock = { Date() }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        let service = TicketService(database: database, attachments: try AttachmentStore(directory: folder.appendingPathComponent("attachments")), now: clock)
        let key = try CredentialKey.loadOrCreate(directory: folder.path)
        let workflows = WorkflowService(database: database, tokenKey: key, now: clock)
        let accounts = AccountService(database: database, now: clock)
        let admin = Actor.agent(try await accounts.principal(for: try await accounts.createAgent(
            name: "Admin", email: "admin@bench.test", password: "bench password long enough", role: .administrator, by: .system).id))
        for index in 0..<Self.workflowCount { _ = try await workflows.create(Self.draft(index), by: admin) }
        let runner = WorkflowRunner(database: database, tokenKey: key, now: clock, makeMessageID: { "bench@\($0)" })

        if let only {
            // One creation phase alone, for a profiler (`perf record`) to tell the two apart.
            let consumers: [any EventConsumer] = only == "with" ? [NotificationConsumer(database: database), runner] : [NotificationConsumer(database: database)]
            _ = try await creationPhase(database, service, admin, consumers: consumers, label: "\(only) workflows")
            return
        }
        // Evaluation per event, the runner called directly on each new ticket's event.
        var evaluation = Samples(name: "evaluate 100 workflows x 5 conditions")
        let first = try await database.eventLogHead()
        for index in 0..<2_000 {
            _ = try await service.createTicket(Self.ticket(index), by: admin)
        }
        let events = try await database.events(upTo: try await database.eventLogHead(), limit: 10_000).filter { $0.id > first }
        _ = try await runner.handle(Array(events.prefix(50)), through: events[49].id)  // warm the compiled cache
        let created = events.filter { if case .ticket(.ticketCreated) = $0.event { true } else { false } }
        for event in created {
            let started = nowMillis()
            try await runner.handle([event], through: event.id)
            evaluation.millis.append(nowMillis() - started)
        }
        // The conditions alone, no runner around them: one event's facts, 100 workflows compiled
        // as the runner compiles them (identical conditions numbered once).
        var sharing = ConditionSharing()
        let compiled = try (0..<Self.workflowCount).map { try CompiledConditions(Self.draft($0).conditions ?? ConditionGroup(), sharing: &sharing) }
        let ticket = try await service.createTicket(Self.ticket(7), by: admin).value
        var pure = Samples(name: "conditions only")
        var held = 0
        for _ in 0..<2_000 {
            let started = nowMillis()
            let cache = FactCache(WorkflowFacts(ticket: ticket), sharing: sharing.shared)
            var none: [CompiledConditions.Outcome]? = nil
            for conditions in compiled where conditions.evaluate(cache, trace: &none) { held += 1 }
            pure.millis.append(nowMillis() - started)
        }
        say(String(format: "conditions only: 100 workflows x 5 conditions on one event's facts: p50 %.3f ms, p99 %.3f ms (%d held)",
                   pure.percentile(0.5), pure.percentile(0.99), held))
        let runs = try await workflows.runs(for: admin)
        say(String(format: "evaluation: %d ticket.created events, 100 workflows x 5 conditions each: p50 %.3f ms, p99 %.3f ms per event (%d runs: none should match)",
                   evaluation.millis.count, evaluation.percentile(0.5), evaluation.percentile(0.99), runs.count))

        // Creation without and with the runner, alternated `rounds` times: on a shared machine
        // the load drifts within seconds, and alternating spreads that drift over both sides.
        var without = Phase(), with = Phase(), drops: [String] = []
        for round in 1...rounds {
            let a = try await creationPhase(database, service, admin, consumers: [NotificationConsumer(database: database)],
                                            label: "round \(round), without workflows")
            let b = try await creationPhase(database, service, admin, consumers: [NotificationConsumer(database: database), runner],
                                            label: "round \(round), with 100 workflows")
            without.add(a)
            with.add(b)
            drops.append(String(format: "%.1f", (1 - b.perSecond / a.perSecond) * 100))
        }
        let drop = (1 - with.perSecond / without.perSecond) * 100
        say(String(format: "creation throughput over %d rounds: %.0f/s without, %.0f/s with 100 enabled workflows (%.1f %% lower; per round: %@ %%)",
                   rounds, without.perSecond, with.perSecond, drop, drops.joined(separator: ", ")))
        say(String(format: "process CPU per ticket created: %.3f ms without, %.3f ms with (%.1f %% more)",
                   without.cpuPerTicket, with.cpuPerTicket, (with.cpuPerTicket / without.cpuPerTicket - 1) * 100))
        say(#"{"measurement":"workflows","evaluationP50Millis":\#(evaluation.percentile(0.5)),"evaluationP99Millis":\#(evaluation.percentile(0.99)),"createPerSecondWithout":\#(Int(without.perSecond)),"createPerSecondWith":\#(Int(with.perSecond)),"dropPercent":\#(String(format: "%.1f", drop))}"#)
    }

    /// Creation phases of one configuration added up.
    private struct Phase {
        var tickets = 0
        var seconds = 0.0
        var cpuMillis = 0.0
        var perSecond: Double { Double(tickets) / seconds }
        var cpuPerTicket: Double { cpuMillis / Double(tickets) }

        mutating func add(_ result: (perSecond: Double, p99: Double, tickets: Int, seconds: Double, cpuMillis: Double)) {
            tickets += result.tickets
            seconds += result.seconds
            cpuMillis += result.cpuMillis
        }
    }

    /// Creates `tickets` tickets one after another while a relay feeds `consumers`; returns
    /// tickets per second, the p99 of one creation, and the process's CPU time until the
    /// consumers caught up.
    private func creationPhase(_ database: Database, _ service: TicketService, _ admin: Actor, consumers: [any EventConsumer],
                               label: String) async throws -> (perSecond: Double, p99: Double, tickets: Int, seconds: Double, cpuMillis: Double) {
        let relay = EventRelay(database: database, now: { Date() }, pollInterval: .seconds(3600), log: { say($0) })
        let head = try await database.eventLogHead()
        try await relay.start(consumers, positions: Dictionary(uniqueKeysWithValues: consumers.map { ($0.name, head) }))
        var samples = Samples(name: label)
        let started = nowMillis(), cpu = processCPUMillis()
        for index in 0..<tickets {
            let one = nowMillis()
            _ = try await service.createTicket(Self.ticket(index), by: admin)
            samples.millis.append(nowMillis() - one)
        }
        let seconds = (nowMillis() - started) / 1000
        let end = try await database.eventLogHead()
        let lagStarted = nowMillis()
        for consumer in consumers { await relay.waitUntil(consumer.name, reaches: end) }
        let cpuMillis = processCPUMillis() - cpu
        await relay.stop()
        say(String(format: "%@: %d tickets in %.2f s = %.0f/s, p50 %.2f ms, p99 %.2f ms; consumers caught up %.0f ms after the last; CPU %.3f ms per ticket",
                   label, tickets, seconds, Double(tickets) / seconds, samples.percentile(0.5), samples.percentile(0.99), nowMillis() - lagStarted,
                   cpuMillis / Double(tickets)))
        return (Double(tickets) / seconds, samples.percentile(0.99), tickets, seconds, cpuMillis)
    }

    private static func ticket(_ index: Int) -> NewTicket {
        NewTicket(subject: "Printer \(index) does not print the monthly report", description: "The printer on floor \(index % 7) jams.",
                  requester: .email(name: "Requester \(index % 97)", email: "requester\(index % 97)@customer.test"))
    }

    /// Workflow `index`: five conditions, one of each shape, none holding for the benchmark's tickets.
    static func draft(_ index: Int) -> WorkflowDraft {
        let conditions: [ConditionItem] = [
            .condition(Condition(field: "ticket.subject", op: .contains, value: index.isMultiple(of: 2) ? "printer" : "refund \(index)")),
            .condition(Condition(field: "ticket.channel", op: .oneOf, values: ["web", "email", "phone"])),
            .condition(Condition(field: "ticket.description", op: .matches, value: "\\bfloor \\d+\\b|jam(s|med)?|ref-\(index)")),
            .condition(Condition(field: "ticket.priority", op: .notEquals, value: "urgent")),
            .condition(Condition(field: "ticket.subject", op: .startsWith, value: "invoice \(index)")),
        ]
        var tag = WorkflowAction(type: .addTags)
        tag.tags = ["wf-\(index)"]
        let all = index.isMultiple(of: 2)
        let group = all ? ConditionGroup(match: .all, conditions: conditions)
            : ConditionGroup(match: .any, conditions: conditions.enumerated().map { i, item in
                // "any of" with none holding: each condition turned into one that fails.
                guard case .condition(var c) = item else { return item }
                switch i {
                case 0: c.value = "refund \(index)"
                case 1: c.values = ["chat"]
                case 2: c.value = "\\binvoice \\d{6}\\b|ref-\(index)"
                case 3: c.op = .equals
                default: break
                }
                return .condition(c)
            })
        return WorkflowDraft(name: "Bench \(index)", enabled: true, trigger: WorkflowTrigger(kind: .ticketCreated),
                             conditions: group, actions: [tag])
    }
}
