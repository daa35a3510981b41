import Dispatch
import Foundation
import Tickets

/// The scheduler's one wake-up, backed by ONE `DispatchSourceTimer` that is re-armed to the
/// earliest deadline (never a timer per ticket). Deadlines are instants of the server's
/// clock (`now`), which may run ahead of the wall clock (`TestClock`): the delay is measured
/// against `now`, and `clockChanged()` re-arms after a jump.
///
/// A wake-up that comes early (a long deadline is slept in chunks of `maxSleepSeconds`, so a
/// wall-clock adjustment cannot strand it) re-arms for the rest; a due one hands `fire` to a
/// new task and disarms. A fire callback runs at most once per `schedule`.
final class DispatchSLATimer: SLATimer, @unchecked Sendable {
    /// A day: long sleeps are cut so the delay is recomputed against `now` at least daily.
    static let maxSleepSeconds = 86_400.0
    /// Coalescing the OS may apply; SLA instants are counted in milliseconds.
    static let leewayMilliseconds = 5
    /// A wake-up this close before its deadline counts as due (clock rounding).
    static let earlyToleranceSeconds = 0.002

    private let now: Clock
    private let lock = NSLock()
    private let source: DispatchSourceTimer
    private var armed: (deadline: Date, fire: @Sendable () async -> Void)?
    /// Set by `cancel`: the timer never fires again.
    private var cancelled = false
    /// How many times the source went off (tests and diagnostics).
    private(set) var wakeUps = 0

    /// A disarmed timer measuring delays against `now`.
    init(now: @escaping Clock, queue: DispatchQueue = DispatchQueue(label: "helpdesk.sla-timer")) {
        self.now = now
        source = DispatchSource.makeTimerSource(queue: queue)
        source.schedule(deadline: .distantFuture)
        source.setEventHandler { [weak self] in self?.wokeUp() }
        source.resume()
    }

    deinit { source.cancel() }

    /// Arms the wake-up at `deadline` (server clock), replacing any armed one.
    func schedule(at deadline: Date, _ fire: @escaping @Sendable () async -> Void) {
        lock.withLock {
            guard !cancelled else { return }
            armed = (deadline, fire)
            rearmLocked()
        }
    }

    /// Re-measures the armed deadline after the server clock jumped.
    func clockChanged() {
        lock.withLock { rearmLocked() }
    }

    /// Disarms the timer for good (this node stopped leading: another node's scheduler owns
    /// the deadlines now). A fire already handed to its task still runs.
    func cancel() {
        lock.withLock {
            cancelled = true
            armed = nil
            rearmLocked()
        }
    }

    /// The armed deadline, if any.
    var deadline: Date? { lock.withLock { armed?.deadline } }

    private func wokeUp() {
        let due: (@Sendable () async -> Void)? = lock.withLock {
            wakeUps += 1
            guard let armed else { return nil }
            if armed.deadline.timeIntervalSince(now()) > Self.earlyToleranceSeconds {
                rearmLocked()
                return nil
            }
            self.armed = nil
            return armed.fire
        }
        if let due { Task { await due() } }
    }

    private func rearmLocked() {
        guard let armed else {
            source.schedule(deadline: .distantFuture)
            return
        }
        let delay = min(max(0, armed.deadline.timeIntervalSince(now())), Self.maxSleepSeconds)
        source.schedule(deadline: .now() + delay, leeway: .milliseconds(Self.leewayMilliseconds))
    }
}
