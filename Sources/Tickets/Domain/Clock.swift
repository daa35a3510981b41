import Foundation

/// The source of "now" for the domain. Never read the wall clock inside the domain:
/// services take a `Clock`, tests pass a `ManualClock`.
public typealias Clock = @Sendable () -> Date

/// A settable clock for tests and replays.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: Date = Date(timeIntervalSince1970: 1_700_000_000)) { current = start }

    /// The current instant.
    public func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Moves the clock forward by `seconds`.
    public func advance(_ seconds: TimeInterval) {
        lock.lock()
        current += seconds
        lock.unlock()
    }

    /// This clock as a `Clock` closure.
    public var clock: Clock { { [self] in self.now() } }
}
