import Foundation

/// Login throttling: after `maxFailures` failures for one email (or `maxFailuresPerIP` from
/// one IP) within `windowSeconds`, further attempts are refused for `lockoutSeconds` after
/// the last failure of that burst. Pure logic over failure times; the clock is injected.
public struct LoginThrottle: Sendable {
    /// Failures per email within the window before locking: five typos is a lot.
    public var maxFailures = 5
    /// Failures per IP within the window before locking: a shared office NAT gets more room.
    public var maxFailuresPerIP = 20
    /// The window failures are counted in.
    public var windowSeconds: TimeInterval = 15 * 60
    /// How long the lock lasts after the failure that triggered it.
    public var lockoutSeconds: TimeInterval = 15 * 60

    public init() {}

    /// When the key with failures at `times` (any order) is locked until, or nil when it is
    /// not locked at `now`.
    func lockedUntil(failures times: [Date], limit: Int, now: Date) -> Date? {
        let sorted = times.sorted()
        guard limit > 0, sorted.count >= limit else { return nil }
        var until: Date?
        for end in (limit - 1)..<sorted.count {
            let start = sorted[end - limit + 1]
            if sorted[end].timeIntervalSince(start) <= windowSeconds {
                let candidate = sorted[end].addingTimeInterval(lockoutSeconds)
                if until.map({ candidate > $0 }) ?? true { until = candidate }
            }
        }
        guard let until, until > now else { return nil }
        return until
    }

    /// How far back failures matter at `now`.
    func horizon(_ now: Date) -> Date { now.addingTimeInterval(-(windowSeconds + lockoutSeconds)) }
}
