import Foundation
import Synchronization
import Testing
@testable import Tickets

/// A consumer that records what it is handed; it can be told to fail a number of times.
final class RecordingConsumer: EventConsumer {
    let name: String
    let startsAtHead: Bool
    let gatherDelay: Duration
    private let state = Mutex<(seen: [Int64], failuresLeft: Int)>(([], 0))

    init(_ name: String, startsAtHead: Bool = false, failures: Int = 0, gatherDelay: Duration = .zero) {
        self.name = name
        self.startsAtHead = startsAtHead
        self.gatherDelay = gatherDelay
        state.withLock { $0.failuresLeft = failures }
    }

    var seen: [Int64] { state.withLock { $0.seen } }

    func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        try state.withLock { state in
            if state.failuresLeft > 0 {
                state.failuresLeft -= 1
                throw DomainError(.conflict, "injected failure")
            }
            state.seen += events.map(\.id)
        }
    }
}

/// A consumer that records what it is handed and commits one event of its own while it
/// handles its first batch (as the workflow runner does).
final class CommittingConsumer: EventConsumer {
    let name = "committing"
    let startsAtHead = false
    let committed = Signal()
    private let database: Database
    private let at: Date
    private let state = Mutex<(seen: [Int64], wrote: Bool)>(([], false))

    init(database: Database, at: Date) {
        self.database = database
        self.at = at
    }

    var seen: [Int64] { state.withLock { $0.seen } }

    func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        let first = state.withLock { state in
            state.seen += events.map(\.id)
            defer { state.wrote = true }
            return !state.wrote
        }
        guard first else { return }
        let at = self.at
        try await database.write { db in
            _ = try EventLog.append([.notificationsRead(AgentID(1), unread: 0)], by: EventActor(kind: .system, id: nil, name: "test"), at: at, db)
        }
        committed.signal()
    }
}

/// The log's positions of the events committed so far.
private func positions(_ database: Database) async throws -> [Int64] {
    try await database.read { db in try db.query("SELECT id FROM events ORDER BY id").map { $0.int64(0) } }
}

@Suite("Event log and relay")
struct EventRelayTests {
    @Test("a command's events are in the log in its transaction, in order, and read back as they were")
    func commandsLogTheirEvents() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let ticket = try await fixture.ticket(by: ada)
        let updated = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: .pending), by: ada)
        let events = try await fixture.database.events(upTo: Int64.max, limit: 100)
        let types = try events.map { try EventCoding.encode($0.event).type }
        #expect(types == ["agent.created", "ticket.created", "ticket.updated", "ticket.status_changed", "message.added"])
        #expect(updated.logPosition == events.last?.id)
        #expect(events.map(\.id) == events.map(\.id).sorted())
        guard case .ticket(.statusChanged(let logged, let from, let to)) = events[3].event else {
            Issue.record("expected ticket.status_changed, got \(events[3].event)")
            return
        }
        #expect(logged == updated.value && from == .open && to == .pending)
        #expect(events[3].actor == EventActor(ada))
    }

    @Test("a command that fails writes no event, and an unchanged update writes none")
    func failuresLogNothing() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let ticket = try await fixture.ticket(by: ada)
        let before = try await positions(fixture.database)
        _ = await domainError(.conflict) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 99, TicketPatch(status: .pending), by: ada)
        }
        let unchanged = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(), by: ada)
        #expect(unchanged.logPosition == nil)
        #expect(try await positions(fixture.database) == before)
    }

    @Test("each consumer gets every event once, in order, from its own cursor")
    func consumersResumeFromTheirCursors() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        for index in 0..<5 { try await fixture.ticket("first \(index)", by: ada) }
        let relay = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let everything = RecordingConsumer("everything"), fresh = RecordingConsumer("fresh", startsAtHead: true)
        try await relay.start([everything, fresh])
        for index in 0..<3 { try await fixture.ticket("second \(index)", by: ada) }
        let head = try await relay.head()
        await relay.waitUntil("everything", reaches: head)
        await relay.waitUntil("fresh", reaches: head)
        await relay.stop()
        let all = try await positions(fixture.database)
        #expect(everything.seen == all)
        // Three unassigned tickets after the start: one `ticket.created` each.
        #expect(fresh.seen == Array(all.suffix(3)))
    }

    @Test("a failing batch is retried, never skipped, and counted")
    func failuresAreRetried() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        try await fixture.ticket(by: ada)
        let relay = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let flaky = RecordingConsumer("flaky", failures: 2)
        try await relay.start([flaky])
        await relay.waitUntil("flaky", reaches: try await relay.head())
        await relay.stop()
        #expect(flaky.seen == (try await positions(fixture.database)))
        #expect(relay.progress["flaky"]?.failures == 2)
    }

    @Test("an event committed while a consumer handles a batch is handed over with no further commit and no poll",
          .timeLimit(.minutes(1)))
    func commitsDuringHandlingAreSeen() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        try await fixture.ticket(by: ada)
        let relay = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let writer = CommittingConsumer(database: fixture.database, at: fixture.clock.now())
        try await relay.start([writer])
        // The consumer's first batch commits one event of its own; nothing else is written after.
        await writer.committed.wait(after: 0)
        await relay.waitUntil(writer.name, reaches: try await relay.head())
        await relay.stop()
        #expect(writer.seen == (try await positions(fixture.database)))
    }

    @Test("more events than one batch are handed over in full, with no further commit and no poll", .timeLimit(.minutes(1)))
    func longBacklogsAreReadToTheEnd() async throws {
        let fixture = try Fixture()
        let at = fixture.clock.now()
        try await fixture.database.write { db in
            let events = (0..<EventRelay.batchSize * 2 + 3).map { DomainEvent.notificationsRead(AgentID(1), unread: $0) }
            _ = try EventLog.append(events, by: EventActor(kind: .system, id: nil, name: "test"), at: at, db)
        }
        let relay = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let consumer = RecordingConsumer("backlog")
        try await relay.start([consumer])
        await relay.waitUntil("backlog", reaches: try await relay.head())
        await relay.stop()
        #expect(consumer.seen == (try await positions(fixture.database)))
        #expect(consumer.seen.count == EventRelay.batchSize * 2 + 3)
    }

    @Test("consumers sharing reads each get every event once, in order: at the same place, behind, and after a failure",
          .timeLimit(.minutes(1)))
    func sharedReadsLoseNothing() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        for index in 0..<4 { try await fixture.ticket("before \(index)", by: ada) }
        let relay = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let consumers = [RecordingConsumer("a"), RecordingConsumer("b"), RecordingConsumer("c", startsAtHead: true),
                         RecordingConsumer("flaky", failures: 3)]
        let head = try await relay.head()
        try await relay.start(consumers, positions: ["b": 2])
        for index in 0..<12 { try await fixture.ticket("after \(index)", by: ada) }
        let end = try await relay.head()
        for consumer in consumers { await relay.waitUntil(consumer.name, reaches: end) }
        await relay.stop()
        let all = try await positions(fixture.database)
        #expect(consumers[0].seen == all && consumers[3].seen == all)
        #expect(consumers[1].seen == all.filter { $0 > 2 })
        #expect(consumers[2].seen == all.filter { $0 > head })
    }

    @Test("a consumer with a gather delay gets every event once, in order, and the relay still stops at once",
          .timeLimit(.minutes(2)))
    func gatheringLosesNothing() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let relay = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let gathering = RecordingConsumer("gathering", gatherDelay: .milliseconds(20)), plain = RecordingConsumer("plain")
        try await relay.start([gathering, plain])
        for index in 0..<10 { try await fixture.ticket("ticket \(index)", by: ada) }
        let end = try await relay.head()
        await relay.waitUntil("gathering", reaches: end)
        await relay.waitUntil("plain", reaches: end)
        let started = ContinuousClock.now
        await relay.stop()
        // It does not wait out the hour-long poll (on a busy PostgreSQL the cursor writes of
        // stopping alone took 13 s once: the bound is only far below that hour).
        #expect(ContinuousClock.now - started < .seconds(45))
        let all = try await positions(fixture.database)
        #expect(gathering.seen == all && plain.seen == all)
    }

    @Test("a stored cursor survives a restart: a new relay hands over only what came after it")
    func cursorsAreDurable() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        try await fixture.ticket("before", by: ada)
        let first = EventRelay(database: fixture.database, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let consumer = RecordingConsumer("durable")
        try await first.start([consumer])
        await first.waitUntil("durable", reaches: try await first.head())
        await first.stop()
        let seenBefore = consumer.seen
        try await fixture.ticket("while stopped", by: ada)
        let reopened = try Database(location: fixture.database.location)
        let second = EventRelay(database: reopened, now: fixture.clock.clock, pollInterval: .seconds(3600), log: { _ in })
        let again = RecordingConsumer("durable")
        try await second.start([again])
        await second.waitUntil("durable", reaches: try await second.head())
        await second.stop()
        let all = try await positions(fixture.database)
        #expect(seenBefore + again.seen == all)
        #expect(Set(seenBefore).isDisjoint(with: again.seen))
    }

    @Test("notifications are stored once per event and recipient, even when a batch is handed over twice")
    func notificationsAreIdempotent() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent(), bob = try await fixture.agent("Bob", role: .agent)
        try await fixture.ticket(by: ada) { $0.assigneeID = bob.agentID }
        let events = try await fixture.database.events(upTo: Int64.max, limit: 100)
        let consumer = NotificationConsumer(database: fixture.database)
        try await consumer.handle(events, through: events.last!.id)
        try await consumer.handle(events, through: events.last!.id)
        let stored = try await fixture.database.read { db in
            try db.query("SELECT agent_id, kind, event_id FROM notifications").map { ($0.int64(0), $0.text(1), $0.int64(2)) }
        }
        #expect(stored.count == 1)
        #expect(stored.first?.0 == bob.agentID?.rawValue && stored.first?.1 == "assigned")
        let created = try await fixture.database.events(upTo: Int64.max, limit: 100).filter {
            if case .notificationCreated = $0.event { return true } else { return false }
        }
        #expect(created.count == 1)
    }

    @Test("pruning keeps what a consumer has not passed and what is inside the retention window")
    func pruningRespectsCursorsAndRetention() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        for index in 0..<4 { try await fixture.ticket("old \(index)", by: ada) }
        let old = try await positions(fixture.database)
        fixture.clock.advance(40 * 86_400)
        try await fixture.ticket("recent", by: ada)
        let all = try await positions(fixture.database)
        try await fixture.database.write { db in
            try EventLog.advance("slow", to: old[2], at: Date(), db)
            try EventLog.advance("fast", to: all.last!, at: Date(), db)
        }
        let cutoff = fixture.clock.clock().addingTimeInterval(-30 * 86_400)
        // The slow consumer holds back everything after its cursor; step 1 proves the loop.
        let pruned = try await fixture.database.pruneEvents(consumers: ["slow", "fast"], olderThan: cutoff, step: 1)
        #expect(pruned == 3)
        #expect(try await positions(fixture.database) == Array(all.dropFirst(3)))
        // Once it catches up, only the retention window holds events back.
        try await fixture.database.write { db in try EventLog.advance("slow", to: all.last!, at: Date(), db) }
        _ = try await fixture.database.pruneEvents(consumers: ["slow", "fast"], olderThan: cutoff)
        #expect(try await positions(fixture.database) == [all.last!])
        // Ids are never reused after pruning, so positions stay comparable.
        try await fixture.ticket("after", by: ada)
        #expect(try await positions(fixture.database).last! > all.last!)
    }

    @Test("every event type round-trips through its stored form")
    func codingRoundTrips() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let ticket = try await fixture.ticket(by: ada)
        let samples: [DomainEvent] = [
            .ticket(.ticketDeleted(ticket.id, reference: ticket.reference)),
            .ticket(.watchersChanged(ticket, watchers: [AgentID(3)])),
            .ticket(.accessLinkChanged(ticket, AccessLinkChange(action: .regenerated, generation: 2, expiresAt: Date(timeIntervalSince1970: 1_800_000_000)))),
            .ticket(.merged(primary: ticket, secondary: ticket, moved: [MessageID(4)])),
            .ticket(.ccsChanged(ticket, ccs: [ContactID(2), ContactID(5)])),
            .ticket(.emailFailed(ticket, EmailFailure(outboxID: 3, messageID: MessageID(4), recipient: "ann@example.test",
                                                      error: "550 no such user", senderAgentID: AgentID(1)))),
            .sla(.breached(ticket.id, .resolution, at: Date(timeIntervalSince1970: 1_800_000_000))),
            .notificationsRead(AgentID(2), unread: 7),
            .ticketPolicyChanged(ticket.id, SLAPolicyID(2)),
            .slaPolicyChanged(SLAPolicyID(5), .deleted),
            .access(.sessionEnded(AgentID(1))), .access(.agentChanged(AgentID(1))), .access(.roleChanged(RoleID(2))),
            .access(.tokenRevoked(AgentID(1), token: 9)),
            .record(RecordEvent("canned_response", .updated, id: 12)),
            .survey(.rated(Survey(id: 4, ticketID: ticket.id, status: .answered, resolvedBy: AgentID(1),
                                  createdAt: Date(timeIntervalSince1970: 1_800_000_000), expiresAt: Date(timeIntervalSince1970: 1_800_604_800),
                                  rating: 2, comment: "Slow", answeredAt: Date(timeIntervalSince1970: 1_800_000_100), question: "How did we do?"))),
            .survey(.answerChanged(Survey(id: 4, ticketID: ticket.id, status: .answered, resolvedBy: nil,
                                          createdAt: Date(timeIntervalSince1970: 1_800_000_000), expiresAt: Date(timeIntervalSince1970: 1_800_604_800),
                                          rating: 5, comment: nil, answeredAt: Date(timeIntervalSince1970: 1_800_000_200), question: "How did we do?"),
                                   previousRating: 2)),
            .survey(.sent(Survey(id: 5, ticketID: ticket.id, status: .pending, resolvedBy: nil,
                                 createdAt: Date(timeIntervalSince1970: 1_800_000_000), expiresAt: Date(timeIntervalSince1970: 1_800_604_800),
                                 rating: nil, comment: nil, answeredAt: nil, question: "How did we do?"))),
        ]
        for event in samples {
            let (type, payload) = try EventCoding.encode(event)
            let decoded = try EventCoding.decode(type: type, payload: payload)
            let again = try EventCoding.encode(decoded)
            #expect(again.type == type && again.payload == payload, "\(type)")
        }
        #expect(throws: EventCodingError.self) { try EventCoding.decode(type: "nonsense", payload: "{}") }
    }
}
