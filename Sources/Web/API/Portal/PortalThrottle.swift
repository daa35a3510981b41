import Foundation
import Synchronization

/// The portal's rate limits (it is public input: anyone can call it). Three counters:
/// every portal request per client address, every request per presented token, and the
/// refused tokens per address, which stop that address for the rest of the window.
final class PortalThrottle: Sendable {
    /// A person reading and answering makes a few requests a minute; 120 leaves room for a
    /// shared office address and stops a script.
    static let requestsPerAddressPerMinute = 120
    /// One link used from many addresses (a leaked link being scraped) is held here.
    static let requestsPerTokenPerMinute = 60
    /// A mistyped link fails a few times; 20 refusals in 10 minutes is guessing, and the
    /// address then gets 429 for every token until the window ends.
    static let refusalsPerAddressPerWindow = 20
    static let refusalWindowSeconds = 600.0

    private let now: @Sendable () -> Date
    private let state = Mutex(State())

    private struct State: Sendable {
        var byAddress = RateWindows(limit: PortalThrottle.requestsPerAddressPerMinute, windowSeconds: 60)
        var byToken = RateWindows(limit: PortalThrottle.requestsPerTokenPerMinute, windowSeconds: 60)
        var refusals = RateWindows(limit: PortalThrottle.refusalsPerAddressPerWindow, windowSeconds: PortalThrottle.refusalWindowSeconds)
    }

    init(now: @escaping @Sendable () -> Date) { self.now = now }

    /// Counts one request from `address` with a token whose digest is `tokenKey`. Returns nil
    /// when it may proceed, else the seconds to wait.
    func admit(address: String, tokenKey: String) -> Int? {
        let t = now().timeIntervalSince1970
        return state.withLock { state in
            if let blocked = state.refusals.blocked(address, now: t) { return blocked }
            if let limited = state.byAddress.hit(address, now: t) { return limited }
            return state.byToken.hit(tokenKey, now: t)
        }
    }

    /// Counts one tokenless request from `address` (the logo, a live socket's upgrade).
    func admitAddress(_ address: String) -> Int? {
        let t = now().timeIntervalSince1970
        return state.withLock { state in
            if let blocked = state.refusals.blocked(address, now: t) { return blocked }
            return state.byAddress.hit(address, now: t)
        }
    }

    /// Counts one refused token from `address`.
    func refused(address: String) {
        let t = now().timeIntervalSince1970
        state.withLock { _ = $0.refusals.hit(address, now: t) }
    }
}
