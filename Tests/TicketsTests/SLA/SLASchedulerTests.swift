import Foundation
import Testing
@testable import Tickets

/// A timer the test fires by hand: remembers the armed instant and callback.
final class ManualSLATimer: SLATimer, @unchecked Sendable {
    private let lock = NSLock()
    private var armed: (Date, @Sendable () async -> Void)?

    func schedule(at deadline: Date, _ fire: @escaping @Sendable () async -> Void) {
        lock.withLock { armed = (deadline, fire) }
    }

    /// The armed instant, if any.
    var armedAt: Date? { lock.withLock { armed?.0 } }
}

/// A fixture whose default policy is 24/7 UTC (business time = wall time): first response
/// 60 min for Medium, resolution 240 min, warning at 25 %.
func slaFixture() async throws -> (Fixture, SLAPolicyService) {
    let fixture = try Fixture()
    let service = SLAPolicyService(database: fixture.database, now: fixture.clock.clock)
    let policy = alwaysOpenPolicy()
    let draft = SLAPolicyDraft(name: "24/7", firstResponse: policy.firstResponse, resolution: policy.resolution,
                               nextResponse: policy.nextResponse, hours: policy.hours, timeZoneID: "UTC",
                               warningPercent: policy.warningPercent, isDefault: true)
    _ = try await service.create(draft, by: .system)
    return (fixture, service)
}

@Suite("SLAScheduler")
struct SLASchedulerTests {
    static let minute: TimeInterval = 60

    @Test("fires the warning then the breach at their instants, not before, and audits both")
    func warningThenBreach() async throws {
        let (f, _) = try await slaFixture()
        let timer = ManualSLATimer()
        let scheduler = SLAScheduler(database: f.database, timer: timer, now: f.clock.clock)
        let start = f.clock.now()
        let ticket = try await f.ticket()
        try await scheduler.refresh([ticket.id])
        #expect(timer.armedAt == start + 45 * Self.minute)
        f.clock.advance(45 * Self.minute - 1)
        #expect(try await scheduler.fireDue().isEmpty)
        f.clock.advance(1)
        #expect(try await scheduler.fireDue() == [.warning(ticket.id, .firstResponse, at: start + 45 * Self.minute)])
        #expect(timer.armedAt == start + 60 * Self.minute)
        f.clock.advance(15 * Self.minute)
        #expect(try await scheduler.fireDue() == [.breached(ticket.id, .firstResponse, at: start + 60 * Self.minute)])
        let actions = try await f.tickets.timeline(ticket.id, for: .system).map(\.action)
        #expect(actions.contains(.slaWarning) && actions.contains(.slaBreached))
        let page = try await f.tickets.list(TicketListRequest(filter: { var x = TicketFilter(); x.slaStatuses = [.breached]; return x }()), for: .system)
        #expect(page.tickets.map(\.id) == [ticket.id])
    }

    @Test("a change to Pending cancels the deadline and resuming re-arms it with the remaining time")
    func pendingCancelsResumeRearms() async throws {
        let (f, _) = try await slaFixture()
        let timer = ManualSLATimer()
        let scheduler = SLAScheduler(database: f.database, timer: timer, now: f.clock.clock)
        let ticket = try await f.ticket()
        f.clock.advance(10 * Self.minute)
        let paused = try await f.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(status: .pending), by: .system)
        try await scheduler.refresh(after: paused.events)
        #expect(scheduler.upcoming().isEmpty)
        f.clock.advance(100 * Self.minute)
        #expect(try await scheduler.fireDue().isEmpty)
        let resumedAt = f.clock.now()
        let resumed = try await f.tickets.updateTicket(ticket.id, expectedVersion: 2, TicketPatch(status: .open), by: .system)
        try await scheduler.refresh(after: resumed.events)
        #expect(scheduler.upcoming().map(\.1) == [resumedAt + 35 * Self.minute])
        #expect(timer.armedAt == resumedAt + 35 * Self.minute)
    }

    @Test("a rebuild from the database after a restart yields the same upcoming deadlines with one load and no per-ticket reads")
    func rebuildAfterRestart() async throws {
        let (f, _) = try await slaFixture()
        let first = SLAScheduler(database: f.database, timer: ManualSLATimer(), now: f.clock.clock)
        var ids: [TicketID] = []
        for index in 0..<20 {
            let ticket = try await f.ticket("Ticket \(index)") { $0.priority = index % 2 == 0 ? .urgent : .low }
            ids.append(ticket.id)
            f.clock.advance(Self.minute)
        }
        try await first.refresh(ids)
        _ = try await f.tickets.updateTicket(ids[3], expectedVersion: 1, TicketPatch(status: .onHold), by: .system)
        try await first.refresh([ids[3]])
        let restarted = SLAScheduler(database: f.database, timer: ManualSLATimer(), now: f.clock.clock)
        #expect(try await restarted.load() == 19)
        #expect(restarted.upcoming().map(\.0) == first.upcoming().map(\.0))
        #expect(restarted.upcoming().map(\.1) == first.upcoming().map(\.1))
        let stats = restarted.statistics
        #expect(stats.loads == 1 && stats.rowsLoaded == 19 && stats.rowsRefreshed == 0)
        let changed = try await f.tickets.updateTicket(ids[0], expectedVersion: 1, TicketPatch(priority: .low), by: .system)
        try await restarted.refresh(after: changed.events)
        #expect(restarted.statistics.rowsRefreshed == 1 && restarted.statistics.loads == 1)
    }

    @Test("deleting a ticket drops its deadline without firing")
    func deleteDrops() async throws {
        let (f, _) = try await slaFixture()
        let scheduler = SLAScheduler(database: f.database, timer: ManualSLATimer(), now: f.clock.clock)
        let ticket = try await f.ticket()
        try await scheduler.refresh([ticket.id])
        let deleted = try await f.tickets.deleteTicket(ticket.id, by: .system)
        try await scheduler.refresh(after: deleted.events)
        f.clock.advance(1_000 * Self.minute)
        #expect(try await scheduler.fireDue().isEmpty)
        #expect(scheduler.statistics.ticketsFired == 0)
    }

    @Test("a heap entry packs ticket id and generation into 16 bytes")
    func packedEntries() {
        #expect(MemoryLayout<SLADeadlineHeap.Entry>.stride == 16)
        let entry = SLADeadlineHeap.Entry(due: 5, ticket: 123_456_789, generation: (1 << 24) + 7)
        #expect(entry.ticket == 123_456_789 && entry.generation == 7)
        var heap = SLADeadlineHeap([3, 9, 1, 7, 5].map { SLADeadlineHeap.Entry(due: $0, ticket: $0, generation: 0) })
        heap.push(SLADeadlineHeap.Entry(due: 2, ticket: 2, generation: 0))
        var order: [Int64] = []
        while let next = heap.pop() { order.append(next.due) }
        #expect(order == [1, 2, 3, 5, 7, 9])
    }
}
