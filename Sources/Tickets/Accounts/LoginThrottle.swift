import Foundation

/// Sign-in throttling by delays that grow, never a hard lock. Pure logic over the recent
/// attempts of one account and one address; the clock is injected.
///
/// Attempts are recorded *before* the password is verified (as failures until proven
/// right), so concurrent guesses are all counted: the throttle decides on the history
/// including attempts still in flight. Three failure counts each allow `free` failures in
/// `windowSeconds`, then make the next attempt wait `baseDelaySeconds`, doubling per
/// further failure up to `maxDelaySeconds` after the latest failure:
/// - one account from one address (a guesser at one account);
/// - one account from every address (distributed guessing), which does not apply to
///   addresses where the account signed in successfully within `knownAddressSeconds`, so
///   an attacker cannot keep the owner out;
/// - one address across accounts (credential stuffing), which does not apply to an
///   account that signed in from that address before, so one bad actor behind a shared
///   proxy does not lock out everyone else behind it.
/// Every attempt, successful or not, also counts against a per-minute rate, because each
/// one costs a password hash: per address for accounts not known there, per account and
/// address for known ones (so one office's sign-ins do not queue behind each other).
public struct LoginThrottle: Sendable {
    /// A failure count's allowance and delay growth.
    public struct Rule: Sendable {
        public var free: Int
        public var baseDelaySeconds: TimeInterval
        public var maxDelaySeconds: TimeInterval

        public init(free: Int, baseDelaySeconds: TimeInterval = 1, maxDelaySeconds: TimeInterval = 15 * 60) {
            self.free = free
            self.baseDelaySeconds = baseDelaySeconds
            self.maxDelaySeconds = maxDelaySeconds
        }

        /// The delay after `failures` failures: none below `free`, then doubling to the cap.
        func delay(after failures: Int) -> TimeInterval? {
            guard failures >= free else { return nil }
            let exponent = min(failures - free, 30)
            return min(maxDelaySeconds, baseDelaySeconds * pow(2, Double(exponent)))
        }
    }

    /// One account from one address: five typos in a row is already a lot.
    public var accountAtAddress = Rule(free: 5)
    /// One account from all its unknown addresses: room for a few devices' typos, not a botnet.
    public var account = Rule(free: 20)
    /// One address across accounts: an office behind one NAT makes many honest mistakes.
    public var address = Rule(free: 50)
    /// Attempts per minute from one address at accounts not known there, right or wrong:
    /// each costs ~100 ms of a core; an office signing in at nine needs about this many.
    public var maxAttemptsPerAddressPerMinute = 60
    /// Attempts per minute at one account from one address where it is known: two a second
    /// is far beyond a person and still bounds a script holding a valid password.
    public var maxAttemptsPerKnownAddressPerMinute = 120
    /// How long failures count.
    public var windowSeconds: TimeInterval = 15 * 60
    /// How long a successful sign-in makes an address known for its account.
    public var knownAddressSeconds: TimeInterval = 30 * 86_400

    public init() {}

    /// A recorded attempt (`failed` is true until the password was verified right).
    struct Attempt: Sendable, Equatable {
        var at: Date
        var address: String
        var failed: Bool
    }

    /// The recent attempts that matter for one sign-in.
    struct History: Sendable {
        /// Attempts at the account (from any address) within the window.
        var accountAttempts: [Attempt] = []
        /// Attempts from the address (at any account) within the window.
        var addressAttempts: [Attempt] = []
        /// Whether the account signed in from this address within `knownAddressSeconds`.
        var knownAddress = false
    }

    /// When an attempt from `address` with `history` may go ahead, or nil when it may now.
    func retryAt(_ history: History, address: String, now: Date) -> Date? {
        let since = now.addingTimeInterval(-windowSeconds)
        let minuteAgo = now.addingTimeInterval(-60)
        let accountFailures = history.accountAttempts.filter { $0.failed && $0.at > since }
        let pairFailures = accountFailures.filter { $0.address == address }
        let addressFailures = history.addressAttempts.filter { $0.failed && $0.at > since }
        var waits: [Date] = []
        waits += Self.wait(accountAtAddress, pairFailures)
        if history.knownAddress {
            let pairAttempts = history.accountAttempts.filter { $0.address == address }
            waits += Self.rate(pairAttempts, max: maxAttemptsPerKnownAddressPerMinute, since: minuteAgo)
        } else {
            waits += Self.wait(account, accountFailures)
            waits += Self.wait(self.address, addressFailures)
            waits += Self.rate(history.addressAttempts, max: maxAttemptsPerAddressPerMinute, since: minuteAgo)
        }
        guard let latest = waits.max(), latest > now else { return nil }
        return latest
    }

    /// How far back attempts matter at `now`.
    func horizon(_ now: Date) -> Date { now.addingTimeInterval(-max(windowSeconds, 60)) }

    private static func wait(_ rule: Rule, _ failures: [Attempt]) -> [Date] {
        guard let delay = rule.delay(after: failures.count), let last = failures.map(\.at).max() else { return [] }
        return [last.addingTimeInterval(delay)]
    }

    /// When the oldest of the last `max` attempts within the minute leaves it.
    private static func rate(_ attempts: [Attempt], max: Int, since: Date) -> [Date] {
        let recent = attempts.map(\.at).filter { $0 > since }.sorted()
        guard recent.count >= max else { return [] }
        return [recent[recent.count - max].addingTimeInterval(60)]
    }
}
