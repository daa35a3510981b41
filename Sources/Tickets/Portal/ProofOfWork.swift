import Foundation
import Synchronization

/// The portal's self-hosted captcha: a proof of work. The server hands out a random
/// challenge; the browser finds a nonce such that SHA-256(`challenge:nonce`) starts with
/// `difficultyBits` zero bits (SubtleCrypto, about 2^difficulty hashes on average) and the
/// server checks it with one hash. Each challenge is single use (consumed by any attempt,
/// right or wrong) and expires. No third party, nothing to see or hear: accessible.
public final class ProofOfWork: Sendable {
    /// 2^16 ≈ 65,000 hashes: about a second in a browser's SubtleCrypto, a noticeable cost
    /// per submission for a bot posting thousands.
    public static let defaultDifficultyBits = 16
    /// The page asks for a challenge when the form is sent, so two minutes is plenty.
    public static let lifetimeSeconds = 120.0
    /// Outstanding challenges kept at most; beyond, the oldest are forgotten (a flood of
    /// requests for challenges cannot grow memory, and the per-address limit comes first).
    public static let maxOutstanding = 20_000
    /// A nonce is a decimal counter: 20 digits cover every UInt64.
    static let maxNonceLength = 20

    public let difficultyBits: Int
    private let now: Clock
    private let outstanding = Mutex(State())

    private struct State: Sendable {
        var expiries: [String: Date] = [:]
        var order: [String] = []
    }

    /// An issued challenge.
    public struct Challenge: Sendable, Equatable {
        public let challenge: String
        public let difficultyBits: Int
        public let expiresAt: Date
    }

    /// Why a solution was refused (each is answered alike: solve a new challenge).
    public enum Refusal: Error, Sendable, Equatable {
        case unknownOrUsed, expired, wrongSolution, malformed
    }

    public init(difficultyBits: Int = ProofOfWork.defaultDifficultyBits, now: @escaping Clock) {
        precondition((1...32).contains(difficultyBits), "difficulty between 1 and 32 bits")
        self.difficultyBits = difficultyBits
        self.now = now
    }

    /// A fresh challenge (128 random bits from `RAND_bytes`, as hex).
    public func issue() -> Challenge {
        let challenge = Encoding.hex(Crypto.randomBytes(16))
        let expiresAt = now().addingTimeInterval(Self.lifetimeSeconds)
        outstanding.withLock { state in
            state.expiries[challenge] = expiresAt
            state.order.append(challenge)
            if state.order.count > Self.maxOutstanding {
                let dropped = state.order.prefix(state.order.count - Self.maxOutstanding)
                for old in dropped { state.expiries[old] = nil }
                state.order.removeFirst(dropped.count)
            }
        }
        return Challenge(challenge: challenge, difficultyBits: difficultyBits, expiresAt: expiresAt)
    }

    /// Checks `nonce` for `challenge` and consumes the challenge whatever the outcome.
    /// Throws `Refusal`.
    public func redeem(challenge: String, nonce: String) throws(Refusal) {
        guard challenge.utf8.count == 32, !nonce.isEmpty, nonce.utf8.count <= Self.maxNonceLength,
              nonce.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { throw .malformed }
        let expiry = outstanding.withLock { state in state.expiries.removeValue(forKey: challenge) }
        guard let expiry else { throw .unknownOrUsed }
        guard expiry > now() else { throw .expired }
        guard Self.leadingZeroBits(Crypto.sha256(challenge + ":" + nonce)) >= difficultyBits else { throw .wrongSolution }
    }

    /// The number of leading zero bits of `digest`.
    static func leadingZeroBits(_ digest: [UInt8]) -> Int {
        var bits = 0
        for byte in digest {
            if byte == 0 { bits += 8; continue }
            return bits + byte.leadingZeroBitCount
        }
        return bits
    }

    /// Finds a nonce for `challenge` (tests and the benchmark; browsers do this in JavaScript).
    public static func solve(_ challenge: String, difficultyBits: Int) -> String {
        var nonce: UInt64 = 0
        while leadingZeroBits(Crypto.sha256(challenge + ":" + String(nonce))) < difficultyBits { nonce += 1 }
        return String(nonce)
    }
}
