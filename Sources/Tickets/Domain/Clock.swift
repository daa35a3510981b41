import Foundation
import Synchronization

/// The source of "now" for the domain. Never read the wall clock inside the domain:
/// services take a `Clock`, tests pass a `ManualClock`.
public typealias Clock = @Sendable () -> Date

/// A settable clock for tests and replays.
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = Mutex(start) }

    /// The current instant.
    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }

    /// This clock as a `Clock` closure.
    public var clock: Clock { { [self] in self.now() } }
}
