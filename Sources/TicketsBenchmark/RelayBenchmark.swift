import Foundation
import Synchronization
import Tickets

/// The `relay` command: how fast the event relay drains the log. On a fresh database it
/// writes a backlog of real events through the domain's own commands (tickets created and
/// assigned, status changes with their system messages, replies), then starts the relay
/// with two consumers at once, timing each until it has handled the whole log:
///
/// - `count`: does nothing but count (the relay's own cost: reading, decoding, cursors);
/// - `notifications`: the real notifications consumer (watchers read, notifications and
///   their `notification.created` events written, the cursor moved, one transaction a batch).
///
/// Then it measures ticket creation p50/p99 with the relay idle and while it drains a fresh
/// backlog, so the relay's cost to writers shows as a ratio in the same run.
struct RelayBenchmark {
    let path: String
    let tickets: Int

    /// Counts the events it is handed.
    final class Counter: EventConsumer {
        let name = "count"
        let startsAtHead = false
        let seen = Atomic<Int>(0)
        func handle(_ events: [LoggedEvent], through position: Int64) async throws {
            seen.add(events.count, ordering: .relaxed)
        }
    }

    func run() async throws {
        let database = try Database(path: path)
        let clock: Clock = { Date() }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("attachments")
        let service = TicketService(database: database, attachments: try AttachmentStore(directory: folder), now: clock)
        let accounts = AccountService(database: database, now: clock)
        let agents = try await (0..<4).asyncMap { index in
            let agent = try await accounts.createAgent(name: "Agent \(index)", email: "agent\(index)@bench.test",
                                                       password: "bench password long enough", role: .agent, by: .system)
            return try await accounts.principal(for: agent.id)
        }
        let admin = Actor.agent(try await accounts.principal(for: try await accounts.createAgent(
            name: "Admin", email: "admin@bench.test", password: "bench password long enough", role: .administrator, by: .system).id))

        var started = nowMillis()
        try await backlog(service, admin: admin, agents: agents, count: tickets)
        let head = try await database.eventLogHead()
        let writeSeconds = (nowMillis() - started) / 1000
        say(String(format: "backlog: %d events from %d tickets in %.1f s (%.0f events/s committed through commands)",
                   head, tickets, writeSeconds, Double(head) / writeSeconds))

        let relay = EventRelay(database: database, now: clock, pollInterval: .seconds(3600), log: { say($0) })
        let counter = Counter()
        let notifications = NotificationConsumer(database: database, startsAtHead: false)
        let relayStarted = nowMillis()
        try await relay.start([counter, notifications])
        var drained: [String: Double] = [:]
        // The notifications consumer adds its own `notification.created` events after `head`.
        await withTaskGroup(of: (String, Double).self) { group in
            for name in [counter.name, notifications.name] {
                group.addTask {
                    await relay.waitUntil(name, reaches: head)
                    return (name, nowMillis() - relayStarted)
                }
            }
            for await (name, millis) in group { drained[name] = millis }
        }
        for (name, millis) in drained.sorted(by: { $0.key < $1.key }) {
            say(String(format: "relay: consumer %@ handled %d events in %.0f ms = %.0f events/s", name, head, millis,
                       Double(head) / millis * 1000))
        }

        let idle = try await creations(service, admin, count: 2_000)
        let busy = try await withThrowingTaskGroup(of: Samples?.self) { group in
            group.addTask { try await backlog(service, admin: admin, agents: agents, count: tickets / 4); return nil }
            group.addTask { try await creations(service, admin, count: 2_000) }
            var result: Samples?
            for try await samples in group { if let samples { result = samples } }
            return result!
        }
        await relay.stop()
        say(String(format: "create ticket, relay idle: p50 %.2f ms, p99 %.2f ms; while it drains a backlog: p50 %.2f ms, p99 %.2f ms",
                   idle.percentile(0.5), idle.percentile(0.99), busy.percentile(0.5), busy.percentile(0.99)))
        say(#"{"measurement":"relay","events":\#(head),"countEventsPerSecond":\#(Int(Double(head) / drained["count"]! * 1000)),"notificationsEventsPerSecond":\#(Int(Double(head) / drained["notifications"]! * 1000)),"createP99IdleMillis":\#(idle.percentile(0.99)),"createP99BusyMillis":\#(busy.percentile(0.99))}"#)
    }

    /// `count` tickets, each created assigned (created + assigned), moved to Pending
    /// (updated + status_changed + message.added) and answered (message.added).
    private func backlog(_ service: TicketService, admin: Actor, agents: [Principal], count: Int) async throws {
        for index in 0..<count {
            let agent = agents[index % agents.count]
            var draft = NewTicket(subject: "Relay benchmark \(index)", description: "A realistic description of the problem.",
                                  requester: .email(name: "Requester \(index % 97)", email: "requester\(index % 97)@bench.test"))
            draft.assigneeID = agent.agent.id
            let ticket = try await service.createTicket(draft, by: admin).value
            let pending = try await service.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: .pending), by: admin)
            _ = try await service.addMessage(to: pending.value.id, NewMessage(kind: .reply, body: "We are on it."), by: .agent(agent))
        }
    }

    private func creations(_ service: TicketService, _ admin: Actor, count: Int) async throws -> Samples {
        var samples = Samples(name: "create ticket")
        for index in 0..<count {
            let draft = NewTicket(subject: "Timed \(index)", description: "Timed creation",
                                  requester: .email(name: "Timed", email: "timed@bench.test"))
            let started = nowMillis()
            _ = try await service.createTicket(draft, by: admin)
            samples.millis.append(nowMillis() - started)
        }
        return samples
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
