import CSystem

/// Monotonic time in nanoseconds, for timeouts and durations (never wall-clock dates).
public struct Instant: Comparable, Hashable, Sendable {
    public let nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    /// The current monotonic time.
    public static func now() -> Instant { Instant(nanoseconds: csys_monotonic_ns()) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// This instant moved forward by `seconds`.
    public func adding(seconds: Double) -> Instant {
        Instant(nanoseconds: nanoseconds &+ UInt64(max(0, seconds) * 1_000_000_000))
    }

    /// Seconds elapsed from `earlier` to this instant (0 when earlier is later).
    public func seconds(since earlier: Instant) -> Double {
        nanoseconds > earlier.nanoseconds ? Double(nanoseconds - earlier.nanoseconds) / 1_000_000_000 : 0
    }
}
