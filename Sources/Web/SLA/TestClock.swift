import Foundation
import Synchronization
import Tickets

/// FOR TESTS AND DEMOS ONLY: a server clock that reads the wall clock plus an offset that
/// only `advance` moves (forward), so a test can make an SLA turn Breaching then Breached
/// without sleeping. It exists only when `helpdesk serve --test-clock` is given explicitly
/// (no environment variable, no configuration file, no default), which also logs a warning;
/// without it the server's clock is the wall clock and `POST /api/test/clock` is a 404.
public final class TestClock: Sendable {
    private struct State {
        var offsetSeconds: TimeInterval = 0
        var observers: [@Sendable () -> Void] = []
    }
    private let state = Mutex(State())
    /// One advance moves at most a year: more is a mistake in a test.
    static let maxAdvanceSeconds: TimeInterval = 366 * 86_400

    public init() {}

    /// The wall clock plus the offset.
    public func now() -> Date { Date().addingTimeInterval(state.withLock { $0.offsetSeconds }) }

    /// How far ahead of the wall clock this clock runs.
    var offset: TimeInterval { state.withLock { $0.offsetSeconds } }

    /// Moves the clock forward by `seconds` (0 < seconds <= `maxAdvanceSeconds`, checked by
    /// the caller), then tells every observer.
    func advance(by seconds: TimeInterval) {
        precondition(seconds > 0 && seconds <= Self.maxAdvanceSeconds, "advance out of range")
        let toNotify = state.withLock { state in
            state.offsetSeconds += seconds
            return state.observers
        }
        for observer in toNotify { observer() }
    }

    /// Calls `observer` after every advance (the SLA timer re-arms).
    func onAdvance(_ observer: @escaping @Sendable () -> Void) {
        state.withLock { $0.observers.append(observer) }
    }
}
