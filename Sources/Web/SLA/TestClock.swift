import Foundation
import Tickets

/// FOR TESTS AND DEMOS ONLY: a server clock that reads the wall clock plus an offset that
/// only `advance` moves (forward), so a test can make an SLA turn Breaching then Breached
/// without sleeping. It exists only when `helpdesk serve --test-clock` is given explicitly
/// (no environment variable, no configuration file, no default), which also logs a warning;
/// without it the server's clock is the wall clock and `POST /api/test/clock` is a 404.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offsetSeconds: TimeInterval = 0
    private var observers: [@Sendable () -> Void] = []
    /// One advance moves at most a year: more is a mistake in a test.
    static let maxAdvanceSeconds: TimeInterval = 366 * 86_400

    public init() {}

    /// The wall clock plus the offset.
    public func now() -> Date { Date().addingTimeInterval(lock.withLock { offsetSeconds }) }

    /// How far ahead of the wall clock this clock runs.
    var offset: TimeInterval { lock.withLock { offsetSeconds } }

    /// Moves the clock forward by `seconds` (0 < seconds <= `maxAdvanceSeconds`, checked by
    /// the caller), then tells every observer.
    func advance(by seconds: TimeInterval) {
        precondition(seconds > 0 && seconds <= Self.maxAdvanceSeconds, "advance out of range")
        let toNotify = lock.withLock {
            offsetSeconds += seconds
            return observers
        }
        for observer in toNotify { observer() }
    }

    /// Calls `observer` after every advance (the SLA timer re-arms).
    func onAdvance(_ observer: @escaping @Sendable () -> Void) {
        lock.withLock { observers.append(observer) }
    }
}
