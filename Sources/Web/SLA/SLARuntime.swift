import Foundation
import Tickets

/// The SLA scheduler of a running server and its wiring: one `DispatchSLATimer`, a
/// subscription to every ticket command's events (`refresh(after:)`), and a stream of fired
/// warnings and breaches that `deliver` (the live rooms and feeds) consumes in order.
///
/// Start-up order: `init` (with the app), `deliver(to:)` (when the server is attached), then
/// `start()` once before the server accepts requests, so no refresh can race the load.
final class SLARuntime: Sendable {
    let scheduler: SLAScheduler
    let timer: DispatchSLATimer
    private let fired: AsyncStream<[SLAEvent]>

    /// Wires the scheduler to `services` and subscribes to `services.ticketEvents`.
    init(services: Services) {
        let timer = DispatchSLATimer(now: services.now)
        let (fired, continuation) = AsyncStream<[SLAEvent]>.makeStream()
        let reload = LockedBox<SLAScheduler?>(nil)
        scheduler = SLAScheduler(database: services.database, timer: timer, now: services.now) { result in
            switch result {
            case .success(let events):
                if !events.isEmpty { continuation.yield(events) }
            case .failure(let error):
                // The due tickets left the heap before the write failed: rebuild so none is lost.
                Log.error("SLA deadlines not processed, reloading the scheduler: \(error)")
                Task { _ = try? await reload.get()?.load() }
            }
        }
        reload.set(scheduler)
        self.timer = timer
        self.fired = fired
        let scheduler = self.scheduler
        services.ticketEvents.subscribe { events, _ in
            Task {
                do { try await scheduler.refresh(after: events) } catch { Log.error("SLA refresh failed: \(error)") }
            }
        }
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

    /// Re-reads the deadlines of `ids` in the background (after a policy change).
    func refresh(_ ids: [TicketID]) {
        guard !ids.isEmpty else { return }
        let scheduler = self.scheduler
        Task {
            do { try await scheduler.refresh(ids) } catch { Log.error("SLA refresh failed: \(error)") }
        }
    }

    /// Hands every batch of fired events, in order, to `deliver`, for the life of the process.
    func deliver(to deliver: @escaping @Sendable ([SLAEvent]) async -> Void) {
        let fired = self.fired
        Task.detached {
            for await events in fired { await deliver(events) }
        }
    }
}
