import Foundation
import Testing
@testable import Tickets

/// A help desk in process with its workflow runner fed from the event log by hand.
final class WorkflowDesk: @unchecked Sendable {
    let fixture: Fixture
    let key: CredentialKey
    let workflows: WorkflowService
    let runner: WorkflowRunner
    private(set) var cursor: Int64 = 0
    private var minted = 0

    init(keyByte: UInt8 = 3) throws {
        fixture = try Fixture()
        key = CredentialKey(bytes: Array(repeating: keyByte, count: 32))
        workflows = WorkflowService(database: fixture.database, tokenKey: key, now: fixture.clock.clock)
        let counter = Counter()
        runner = WorkflowRunner(database: fixture.database, tokenKey: key, now: fixture.clock.clock,
                                makeMessageID: { "wf-\(counter.next())-\(keyByte)@\($0)" })
    }

    /// Hands the runner every event after its cursor, until the log stops growing (runs that
    /// cause events feed the next round, as the relay would).
    func pump() async throws {
        while true {
            let batch = try await fixture.database.read { [cursor] db in try EventLog.read(after: cursor, limit: 512, db) }
            guard let last = batch.last else { return }
            try await runner.handle(batch.events, through: last)
            cursor = last
        }
    }

    /// Hands the runner everything from the start of the log again (a crash replay).
    func replayAll() async throws {
        let batch = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 10_000, db) }
        try await runner.handle(batch.events, through: batch.last ?? 0)
    }

    func addMailbox(_ address: String) async throws {
        var d = MailboxDraft()
        d.name = "support"; d.address = address
        d.imap.host = "imap.test"; d.imap.port = 993; d.imap.security = .tls; d.imap.username = "u"; d.imap.password = "p"
        d.smtp.host = "smtp.test"; d.smtp.port = 587; d.smtp.security = .starttls; d.smtp.username = "u"; d.smtp.password = "p"
        _ = try await MailboxService(database: fixture.database, key: key, now: fixture.clock.clock).create(d, by: .system)
    }

    func runs() async throws -> [WorkflowRun] { try await workflows.runs(for: .system) }

    /// Outbox emails due now, marked sent.
    func takeOutbox() async throws -> [OutboxEmail] {
        let due = try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(1), limit: 100)
        for email in due { try await fixture.tickets.emailSent(email.id, at: fixture.clock.clock()) }
        return due
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func next() -> Int { lock.withLock { n += 1; return n } }
}

func condition(_ field: String, _ op: Condition.Operator, _ value: String? = nil) -> ConditionItem {
    .condition(Condition(field: field, op: op, value: value))
}

func action(_ type: WorkflowAction.Kind, _ configure: (inout WorkflowAction) -> Void = { _ in }) -> WorkflowAction {
    var a = WorkflowAction(type: type)
    configure(&a)
    return a
}

/// The runner: triggers, actions on the ticket, the run log, exactly-once under replay,
/// failures recorded without stopping the others, and the depth bound.
@Suite("WorkflowRunner")
struct WorkflowRunnerTests {
    @Test("a matching workflow sets a field, tags, assigns and notes; a replayed event runs nothing twice")
    func actionsOnce() async throws {
        let desk = try WorkflowDesk()
        let ada = try await desk.fixture.agent()
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "VIP", enabled: true, trigger: WorkflowTrigger(kind: .ticketCreated),
            conditions: ConditionGroup(match: .all, conditions: [condition("ticket.subject", .matches, "^urgent\\b")]),
            actions: [action(.setField) { $0.field = "priority"; $0.value = "urgent" }, action(.addTags) { $0.tags = ["vip", "fast"] },
                      action(.assign) { $0.agentId = ada.agentID?.rawValue }, action(.addNote) { $0.body = "Triage for {{ticket.reference}}" }]),
            by: .system)
        let hit = try await desk.fixture.ticket("Urgent: server down")
        let miss = try await desk.fixture.ticket("Not urgent at all")
        try await desk.pump()
        let after = try await desk.fixture.tickets.ticket(hit.id, for: .system)
        #expect(after.priority == .urgent && after.tags == ["fast", "vip"] && after.assigneeID == ada.agentID)
        let note = try await desk.fixture.tickets.thread(of: hit.id, for: .system).last { $0.kind == .note }
        #expect(note?.body == "Triage for \(hit.reference)")
        #expect(try await desk.fixture.tickets.ticket(miss.id, for: .system).priority == .medium)
        try await desk.replayAll()
        let runs = try await desk.runs()
        #expect(runs.count == 1 && runs[0].ticketID == hit.id && runs[0].outcome == "done" && runs[0].depth == 1)
        #expect(runs[0].actions.map(\.status) == [.done, .done, .done, .done])
        #expect(runs[0].conditions.map(\.matched) == [true])
        let timeline = try await desk.fixture.tickets.timeline(hit.id, for: .system)
        #expect(timeline.filter { $0.action == .workflowRan }.count == 1)
    }

    @Test("a failing action is rolled back alone and recorded; the actions after it still run")
    func failureRecorded() async throws {
        let desk = try WorkflowDesk()
        let bob = try await desk.fixture.agent("Bob", role: .agent)
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "Assign Bob", enabled: true, trigger: WorkflowTrigger(kind: .ticketCreated),
            actions: [action(.assign) { $0.agentId = bob.agentID?.rawValue }, action(.addTags) { $0.tags = ["seen"] }]), by: .system)
        _ = try await desk.fixture.accounts.updateAgent(bob.agentID!, AgentPatch(active: false), by: .system)
        let ticket = try await desk.fixture.ticket()
        try await desk.pump()
        let run = try #require(try await desk.runs().first)
        #expect(run.outcome == "failed")
        #expect(run.actions.map(\.status) == [.failed, .done])
        #expect(run.actions[0].detail.contains("active agent"))
        let after = try await desk.fixture.tickets.ticket(ticket.id, for: .system)
        #expect(after.assigneeID == nil && after.tags == ["seen"])
    }

    @Test("two workflows feeding each other stop at depth 3: the next match is logged as depth_limit")
    func depthBound() async throws {
        let desk = try WorkflowDesk()
        for (from, to) in [("high", "low"), ("low", "high")] {
            _ = try await desk.workflows.create(WorkflowDraft(
                name: "\(from) to \(to)", enabled: true, trigger: WorkflowTrigger(kind: .ticketUpdated, field: .priority),
                conditions: ConditionGroup(conditions: [condition("ticket.priority", .equals, from)]),
                actions: [action(.setField) { $0.field = "priority"; $0.value = to }]), by: .system)
        }
        let ticket = try await desk.fixture.ticket()
        _ = try await desk.fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(priority: .high), by: .system)
        try await desk.pump()
        let runs = try await desk.runs().reversed()
        #expect(runs.map(\.depth) == [1, 2, 3, 4])
        #expect(runs.map(\.outcome) == ["done", "done", "done", "depth_limit"])
        #expect(try await desk.fixture.tickets.ticket(ticket.id, for: .system).priority == .low)
    }

    @Test("workflows are audited configuration: created, changed, reordered and deleted with workflow.* events")
    func audited() async throws {
        let desk = try WorkflowDesk()
        let a = try await desk.workflows.create(WorkflowDraft(name: "A", trigger: WorkflowTrigger(kind: .ticketCreated),
                                                              actions: [action(.addTags) { $0.tags = ["a"] }]), by: .system)
        let b = try await desk.workflows.createFromTemplate("auto-responder", enabled: false, by: .system)
        #expect(try await desk.workflows.reorder([b.id, a.id], by: .system).map(\.name) == ["Auto-responder", "A"])
        _ = try await desk.workflows.update(a.id, WorkflowDraft(enabled: true), by: .system)
        try await desk.workflows.delete(b.id, by: .system)
        let log = try await desk.fixture.database.read { db in try EventLog.read(after: 0, limit: 100, db) }
        let types = log.events.compactMap { if case .record(let r) = $0.event, r.entity == "workflow" { "\(r.action)" } else { nil } }
        #expect(types == ["created", "created", "updated", "updated", "deleted"])
    }

    @Test("saving refuses a create_ticket outside email triggers and ticket actions before it, naming the action")
    func actionRules() async throws {
        let desk = try WorkflowDesk()
        let wrong = await domainError(.validation) {
            _ = try await desk.workflows.create(WorkflowDraft(name: "x", trigger: WorkflowTrigger(kind: .ticketCreated),
                                                              actions: [action(.createTicket)]), by: .system)
        }
        #expect(wrong?.field == "actions[0].type")
        let early = await domainError(.validation) {
            _ = try await desk.workflows.create(WorkflowDraft(name: "x", trigger: WorkflowTrigger(kind: .emailReceived),
                                                              actions: [action(.addTags) { $0.tags = ["a"] }, action(.createTicket)]), by: .system)
        }
        #expect(early?.field == "actions[0].type")
        let forbidden = await domainError(.forbidden) {
            let agent = try await desk.fixture.agent("Al", role: .agent)
            _ = try await desk.workflows.workflows(for: agent)
        }
        #expect(forbidden != nil)
    }

    @Test("time triggers fire once per quiet period, in wall hours or in business hours of the ticket's SLA calendar")
    func timeTriggers() async throws {
        let desk = try WorkflowDesk()
        for (tag, business) in [("wall", false), ("biz", true)] {
            _ = try await desk.workflows.create(WorkflowDraft(
                name: "Stale \(tag)", enabled: true,
                trigger: WorkflowTrigger(kind: .timeElapsed, status: .pending, hours: 24, businessHours: business),
                conditions: ConditionGroup(conditions: [condition("ticket.tags", .equals, tag),
                                                        condition("ticket.tags", .notEquals, "stale-\(tag)")]),
                actions: [action(.addTags) { $0.tags = ["stale-\(tag)"] }]), by: .system)
        }
        // The manual clock starts on Tuesday 14 November 2023, 22:13 UTC; the seeded Standard
        // policy works Monday to Friday, 09:00-17:00 UTC: 24 business hours end Friday 17:00.
        var tickets: [String: Ticket] = [:]
        for tag in ["wall", "biz"] {
            let t = try await desk.fixture.ticket("Waiting \(tag)") { $0.tags = [tag]; $0.status = .pending }
            tickets[tag] = t
        }
        func tags(_ tag: String) async throws -> [String] { try await desk.fixture.tickets.ticket(tickets[tag]!.id, for: .system).tags }
        desk.fixture.clock.advance(23 * 3_600)
        #expect(try await desk.runner.checkTimeTriggers() == 0)
        desk.fixture.clock.advance(2 * 3_600)
        #expect(try await desk.runner.checkTimeTriggers() == 1)
        #expect(try await tags("wall").contains("stale-wall"))
        #expect(try await desk.runner.checkTimeTriggers() == 0)
        desk.fixture.clock.advance(35 * 3_600)  // Friday 10:13: 17 business hours so far
        #expect(try await desk.runner.checkTimeTriggers() == 0)
        #expect(try await !tags("biz").contains("stale-biz"))
        desk.fixture.clock.advance(12 * 3_600)  // Friday 22:13
        #expect(try await desk.runner.checkTimeTriggers() == 1)
        #expect(try await tags("biz").contains("stale-biz"))
        desk.fixture.clock.advance(100 * 3_600)
        #expect(try await desk.runner.checkTimeTriggers() == 0)
        #expect(try await desk.runs().allSatisfy { $0.trigger == "time.elapsed" && $0.eventID == nil && $0.outcome == "done" })
    }

    @Test("notify agents stores a workflow notification for each agent named, with its live event, once")
    func notifyAgents() async throws {
        let desk = try WorkflowDesk()
        let ada = try await desk.fixture.agent()
        let bob = try await desk.fixture.agent("Bob", role: .agent)
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "Tell them", enabled: true, trigger: WorkflowTrigger(kind: .ticketCreated),
            actions: [action(.notifyAgents) { $0.agentIds = [ada.agentID!.rawValue, bob.agentID!.rawValue]; $0.body = "{{ticket.reference}} is new" }]),
            by: .system)
        let ticket = try await desk.fixture.ticket()
        try await desk.pump()
        try await desk.replayAll()
        let notifications = NotificationService(database: desk.fixture.database, now: desk.fixture.clock.clock)
        for agent in [ada, bob] {
            let feed = try await notifications.feed(of: agent.agentID!)
            #expect(feed.map(\.kind) == [.workflow] && feed.first?.title == "\(ticket.reference) is new")
        }
        let log = try await desk.fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        #expect(log.events.filter { if case .notificationCreated = $0.event { true } else { false } }.count == 2)
    }

    @Test("SLA breaches and replies by the requester fire their triggers; the ticket is read from the database for SLA events")
    func slaAndReplyTriggers() async throws {
        let desk = try WorkflowDesk()
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "Breach", enabled: true, trigger: WorkflowTrigger(kind: .slaBreached),
            conditions: ConditionGroup(conditions: [condition("sla.metric", .equals, "resolution")]),
            actions: [action(.setField) { $0.field = "priority"; $0.value = "urgent" }]), by: .system)
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "Customer wrote", enabled: true, trigger: WorkflowTrigger(kind: .replyAdded, by: .requester),
            actions: [action(.removeTags) { $0.tags = ["waiting"] }]), by: .system)
        let ticket = try await desk.fixture.ticket { $0.tags = ["waiting", "vip"] }
        let agent = try await desk.fixture.agent()
        _ = try await desk.fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "From us"), by: agent)
        let at = desk.fixture.clock.clock()
        try await desk.fixture.database.write { db in
            try EventLog.append([.sla(.breached(ticket.id, .firstResponse, at: at)), .sla(.breached(ticket.id, .resolution, at: at))],
                                by: .system, at: at, db)
        }
        try await desk.pump()
        var after = try await desk.fixture.tickets.ticket(ticket.id, for: .system)
        #expect(after.priority == .urgent && after.tags == ["vip", "waiting"])
        #expect(try await desk.runs().map(\.workflowName) == ["Breach"])
        _ = try await desk.fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "From the customer"),
                                                     by: .requester(ticket.requesterID))
        try await desk.pump()
        after = try await desk.fixture.tickets.ticket(ticket.id, for: .system)
        #expect(after.tags == ["vip"])
    }
}
