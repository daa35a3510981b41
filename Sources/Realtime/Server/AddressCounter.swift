import Synchronization

/// Open WebSockets per remote address across every loop, against
/// `ServerConfiguration.maxWebSocketsPerAddress`. A lock per upgrade and per close, never
/// per message.
final class AddressCounter: Sendable {
    private let limit: Int
    private let exempt: Set<String>
    private let counts = Mutex<[String: Int]>([:])

    init(limit: Int, exempt: Set<String>) {
        self.limit = limit
        self.exempt = exempt
    }

    /// Counts one more socket from `address`; false (nothing counted) when it already has
    /// `limit`. Exempt addresses are never counted.
    func acquire(_ address: String) -> Bool {
        guard !exempt.contains(address) else { return true }
        return counts.withLock { counts in
            let current = counts[address] ?? 0
            guard current < limit else { return false }
            counts[address] = current + 1
            return true
        }
    }

    /// Forgets one socket from `address` counted by `acquire`.
    func release(_ address: String) {
        guard !exempt.contains(address) else { return }
        counts.withLock { counts in
            let left = (counts[address] ?? 1) - 1
            counts[address] = left > 0 ? left : nil
        }
    }

    /// Sockets counted for `address` (for tests).
    func count(_ address: String) -> Int { counts.withLock { $0[address] ?? 0 } }
}
