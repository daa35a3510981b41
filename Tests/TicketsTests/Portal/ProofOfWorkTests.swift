import Foundation
import Testing
@testable import Tickets

@Suite("Proof-of-work captcha")
struct ProofOfWorkTests {
    @Test("leading zero bits are counted across bytes")
    func zeroBits() {
        #expect(ProofOfWork.leadingZeroBits([0x80]) == 0)
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x01]) == 15)
        #expect(ProofOfWork.leadingZeroBits([0x00, 0x00]) == 16)
        #expect(ProofOfWork.leadingZeroBits([0x0f, 0xff]) == 4)
    }

    @Test("a solution passes once; replayed, it is refused")
    func singleUse() throws {
        let clock = ManualClock()
        let pow = ProofOfWork(difficultyBits: 8, now: clock.clock)
        let issued = pow.issue()
        let nonce = ProofOfWork.solve(issued.challenge, difficultyBits: 8)
        try pow.redeem(challenge: issued.challenge, nonce: nonce)
        #expect(throws: ProofOfWork.Refusal.unknownOrUsed) { try pow.redeem(challenge: issued.challenge, nonce: nonce) }
    }

    @Test("a wrong nonce is refused and spends the challenge")
    func wrongSpends() throws {
        let pow = ProofOfWork(difficultyBits: 12, now: ManualClock().clock)
        let issued = pow.issue()
        let right = ProofOfWork.solve(issued.challenge, difficultyBits: 12)
        let wrong = (0..<100_000).map(String.init).first {
            ProofOfWork.leadingZeroBits(Crypto.sha256(issued.challenge + ":" + $0)) < 12
        }!
        #expect(throws: ProofOfWork.Refusal.wrongSolution) { try pow.redeem(challenge: issued.challenge, nonce: wrong) }
        #expect(throws: ProofOfWork.Refusal.unknownOrUsed) { try pow.redeem(challenge: issued.challenge, nonce: right) }
    }

    @Test("a challenge expires after its lifetime, by the injected clock")
    func expiry() throws {
        let clock = ManualClock()
        let pow = ProofOfWork(difficultyBits: 4, now: clock.clock)
        let issued = pow.issue()
        clock.advance(ProofOfWork.lifetimeSeconds)
        #expect(throws: ProofOfWork.Refusal.expired) {
            try pow.redeem(challenge: issued.challenge, nonce: ProofOfWork.solve(issued.challenge, difficultyBits: 4))
        }
    }

    @Test("malformed input is refused before any lookup")
    func malformed() {
        let pow = ProofOfWork(difficultyBits: 4, now: ManualClock().clock)
        for (challenge, nonce) in [("abc", "1"), (String(repeating: "a", count: 32), ""), (String(repeating: "a", count: 32), "-1"),
                                   (String(repeating: "a", count: 32), String(repeating: "9", count: 21))] {
            #expect(throws: ProofOfWork.Refusal.malformed) { try pow.redeem(challenge: challenge, nonce: nonce) }
        }
    }

    @Test("outstanding challenges stay bounded under a flood")
    func bounded() {
        let pow = ProofOfWork(difficultyBits: 4, now: ManualClock().clock)
        let first = pow.issue()
        for _ in 0..<ProofOfWork.maxOutstanding { _ = pow.issue() }
        #expect(throws: ProofOfWork.Refusal.unknownOrUsed) {
            try pow.redeem(challenge: first.challenge, nonce: ProofOfWork.solve(first.challenge, difficultyBits: 4))
        }
    }
}
