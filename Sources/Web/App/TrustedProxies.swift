#if canImport(Glibc)
import Glibc
#endif
import Realtime

/// The reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxy`). A request
/// from anywhere else is attributed to its socket's address, so a client cannot pick the
/// address its sign-in failures are counted against; behind a trusted proxy each client is
/// counted on its own, so one bad actor does not throttle everyone behind the same proxy.
public struct TrustedProxies: Sendable, Equatable {
    /// An address block: network bytes (4 for IPv4, 16 for IPv6) and a prefix length.
    struct Block: Sendable, Equatable {
        let network: [UInt8]
        let prefixLength: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == network.count else { return false }
            var remaining = prefixLength
            for index in network.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != network[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    /// Hops of `X-Forwarded-For` examined at most: a chain of proxies is short.
    static let maxForwardedHops = 16

    let blocks: [Block]

    /// Trusts nobody: every request is its socket's address.
    public static let none = TrustedProxies(blocks: [])

    init(blocks: [Block]) { self.blocks = blocks }

    /// Parses a comma-separated list of addresses and CIDR blocks (`10.0.0.0/8`, `::1`).
    /// Throws a message naming the first bad entry.
    public init(parsing list: String) throws(TrustedProxiesError) {
        var blocks: [Block] = []
        for entry in list.split(separator: ",").map({ $0.trimmingASCIISpaces() }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let network = Self.parseAddress(String(parts[0])) else { throw TrustedProxiesError(entry: String(entry)) }
            var length = network.count * 8
            if parts.count == 2 {
                guard let value = Int(parts[1]), (0...network.count * 8).contains(value) else {
                    throw TrustedProxiesError(entry: String(entry))
                }
                length = value
            }
            blocks.append(Block(network: network, prefixLength: length))
        }
        self.blocks = blocks
    }

    /// True when `address` (textual IPv4 or IPv6) is a trusted proxy.
    public func trusts(_ address: String) -> Bool {
        guard !blocks.isEmpty, let bytes = Self.parseAddress(address) else { return false }
        return blocks.contains { $0.contains(bytes) }
    }

    /// The client's address: the socket's, unless that is a trusted proxy; then the last
    /// `X-Forwarded-For` hop that is not a trusted proxy (hops are appended left to right, so
    /// the rightmost untrusted one is the one a trusted proxy saw). A malformed hop ends the
    /// walk there and is not believed: the address before it is used.
    public func clientAddress(of request: HTTPRequest) -> String {
        var client = request.remoteAddress
        guard trusts(client) else { return client }
        let hops = request.headers.values("X-Forwarded-For")
            .flatMap { $0.split(separator: ",") }
            .map { String($0.trimmingASCIISpaces()) }
        for hop in hops.reversed().prefix(Self.maxForwardedHops) {
            guard Self.parseAddress(hop) != nil else { return client }
            client = hop
            if !trusts(hop) { return hop }
        }
        return client
    }

    /// The bytes of a textual IPv4 or IPv6 address, or nil.
    static func parseAddress(_ text: String) -> [UInt8]? {
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            // An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 address.
            if bytes.prefix(12) == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] { return Array(bytes.suffix(4)) }
            return bytes
        }
        return nil
    }
}

/// A `--trusted-proxy` entry that is neither an address nor a CIDR block.
public struct TrustedProxiesError: Error, Sendable {
    public let entry: String
}
