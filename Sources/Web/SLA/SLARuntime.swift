import Foundation
import Tickets

/// The SLA scheduler of a running server and its wiring: one `DispatchSLATimer`, and the
/// event-log consumer (`sla`) that keeps the scheduler's deadlines current: a ticket event
/// re-reads that ticket's deadline, a ticket moved to another policy too, and a policy
/// change reloads every deadline (policies change rarely; a reload of a million tickets
/// takes about half a second). The warnings and breaches the scheduler fires are logged in
/// their own transaction and reach rooms and feeds through the log like any event.
///
/// Start-up order: `init` (with the app), then `start()` once before the server accepts
/// requests and before the relay starts, so no refresh can race the load.
final class SLARuntime: EventConsumer {
    static let consumerName = "sla"
    let name = SLARuntime.consumerName
    let scheduler: SLAScheduler
    let timer: DispatchSLATimer

    init(services: Services) {
        let timer = DispatchSLATimer(now: services.now)
        let reload = LockedBox<SLAScheduler?>(nil)
        scheduler = SLAScheduler(database: services.database, timer: timer, now: services.now) { result in
            if case .failure(let error) = result {
                // The due tickets left the heap before the write failed: rebuild so none is lost.
                Log.error("SLA deadlines not processed, reloading the scheduler: \(error)")
                Task {
                    do { _ = try await reload.get()?.load() } catch { Log.error("SLA reload failed: \(error)") }
                }
            }
        }
        reload.set(scheduler)
        self.timer = timer
    }

    /// Loads every running deadline from the database, arms the timer and logs one line with
    /// the count and the time taken. Returns the count.
    @discardableResult
    func start() async throws -> Int {
        let started = ContinuousClock.now
        let count = try await scheduler.load()
        let elapsed = ContinuousClock.now - started
        let millis = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        Log.info("SLA scheduler loaded \(count) deadlines in \(Int(millis.rounded())) ms")
        return count
    }

    /// Disarms the timer for good (the node stopped leading; after its relay stopped).
    func stop() { timer.cancel() }

    func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        var ticketEvents: [TicketEvent] = []
        var moved: [TicketID] = []
        var reload = false
        for logged in events {
            switch logged.event {
            case .ticket(let event): ticketEvents.append(event)
            case .ticketPolicyChanged(let ticket, _): moved.append(ticket)
            case .slaPolicyChanged(_, let action): reload = reload || action != .created
            case .sla, .notificationCreated, .notificationsRead, .access, .record, .survey, .email: break
            }
        }
        if reload {
            try await scheduler.load()
        } else {
            try await scheduler.refresh(after: ticketEvents)
            try await scheduler.refresh(moved)
        }
    }
}
