import Foundation
import Tickets

/// The `sla` command: on a generated database, starts the SLA clock of every ticket without
/// one (the domain's own backfill), then measures the scheduler as the server runs it:
/// start-up (`load()`), its memory per tracked ticket (RSS before and after, with the database
/// already open and warm, and the heap's own entry bytes), and the cost of one status change
/// (`updateTicket` plus `refresh(after:)`, p50/p99).
struct SLABenchmark {
    let path: String
    let iterations: Int
    /// Loads timed after the first (the first also warms the page cache).
    static let timedLoads = 3
    /// `SLADeadlineHeap.Entry`: deadline (8 bytes) and packed ticket/generation key (8 bytes).
    static let heapEntryBytes = 16

    /// The timer the scheduler arms; never fires here (only the arming is exercised).
    final class IdleTimer: SLATimer, @unchecked Sendable {
        private(set) var armed: Date?
        func schedule(at deadline: Date, _ fire: @escaping @Sendable () async -> Void) { armed = deadline }
    }

    func run() async throws {
        let database = try Database(path: path)
        let clock: Clock = { Date() }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("attachments")
        let service = TicketService(database: database, attachments: try AttachmentStore(directory: folder), now: clock)
        let began = nowMillis()
        let backfilled = try await SLAPolicyService(database: database, now: clock).startMissingClocks()
        say(String(format: "backfill: started %d clocks in %.1f s", backfilled, (nowMillis() - began) / 1000))

        var loadMillis: [Double] = []
        let warm = SLAScheduler(database: database, timer: IdleTimer(), now: clock)
        _ = try await warm.load()
        let rssBefore = procStatusKiB("VmRSS")
        let scheduler = SLAScheduler(database: database, timer: IdleTimer(), now: clock)
        var tracked = 0, rssAfter = 0
        for _ in 0..<Self.timedLoads {
            let started = nowMillis()
            tracked = try await scheduler.load()
            loadMillis.append(nowMillis() - started)
            // Memory after the FIRST load: later loads replace the heap and malloc keeps the freed pages.
            if rssAfter == 0 { rssAfter = procStatusKiB("VmRSS") }
        }
        let rssBytes = Double(rssAfter - rssBefore) * 1024 / Double(max(tracked, 1))
        let heapBytes = Double(scheduler.statistics.heapEntries * Self.heapEntryBytes) / Double(max(tracked, 1))
        say(String(format: "load(): %d deadlines; %.0f ms, repeated %@ ms", tracked, loadMillis[0],
                   loadMillis.dropFirst().map { String(format: "%.0f", $0) }.joined(separator: ", ")))
        say(String(format: "memory: RSS %d -> %d KiB (%.1f bytes per ticket); heap entries %.1f bytes per ticket",
                   rssBefore, rssAfter, rssBytes, heapBytes))
        let change = try await statusChanges(service, scheduler, ticketCount: tracked)
        say(#"{"measurement":"sla","deadlines":\#(tracked),"loadMillis":\#(loadMillis.map { Int($0.rounded()) }),"rssBytesPerTicket":\#(Int(rssBytes.rounded())),"heapEntryBytesPerTicket":\#(Int(heapBytes.rounded())),"changeP50Millis":\#(change.percentile(0.5)),"changeP99Millis":\#(change.percentile(0.99))}"#)
        withExtendedLifetime(warm) {}
    }

    /// Alternates random tickets between Pending and Open (pausing and resuming their
    /// clocks) and times each command with the scheduler's refresh.
    private func statusChanges(_ service: TicketService, _ scheduler: SLAScheduler, ticketCount: Int) async throws -> Samples {
        var samples = Samples(name: "status change + refresh")
        var random = SeededGenerator(seed: 11)
        let refreshedBefore = scheduler.statistics.rowsRefreshed
        while samples.millis.count < iterations {
            let id = TicketID(Int64.random(in: 1...Int64(max(ticketCount, 1)), using: &random))
            guard let ticket = try? await service.ticket(id, for: .system), ticket.status.isActive else { continue }
            let next: TicketStatus = ticket.status == .pending ? .open : .pending
            let started = nowMillis()
            let result = try await service.updateTicket(id, expectedVersion: ticket.version, TicketPatch(status: next), by: .system)
            try await scheduler.refresh(after: result.events)
            samples.millis.append(nowMillis() - started)
        }
        samples.note = "rows refreshed \(scheduler.statistics.rowsRefreshed - refreshedBefore), heap \(scheduler.statistics.heapEntries)"
        say(String(format: "status change + refresh: p50 %.2f ms, p99 %.2f ms over %d changes (%@)", samples.percentile(0.5),
                   samples.percentile(0.99), samples.millis.count, samples.note))
        return samples
    }

}
