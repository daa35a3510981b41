import Testing
@testable import Web

@Suite struct SetupGateTests {
    @Test("the right token claims the gate once; a second claim waits for the first to finish")
    func claimIsExclusive() {
        let gate = SetupGate(token: "abc")
        #expect(gate.claim("abc") == .granted)
        #expect(gate.claim("abc") == .unavailable)
    }

    @Test("a wrong token, including a prefix of the right one, is refused")
    func wrongTokens() {
        let gate = SetupGate(token: "abc")
        #expect(gate.claim("ab") == .wrongToken)
        #expect(gate.claim("abd") == .wrongToken)
        #expect(gate.claim("") == .wrongToken)
    }

    @Test("a failed setup reopens the gate; a successful one closes it for good")
    func finishing() {
        let gate = SetupGate(token: "abc")
        #expect(gate.claim("abc") == .granted)
        gate.finish(succeeded: false)
        #expect(gate.claim("abc") == .granted)
        gate.finish(succeeded: true)
        #expect(gate.claim("abc") == .unavailable)
    }

    @Test("the gate reads open while setup is needed (and while a claim runs), closed after success or without a token")
    func openness() {
        let gate = SetupGate(token: "abc")
        #expect(gate.isOpen)
        #expect(gate.claim("abc") == .granted)
        #expect(gate.isOpen)
        gate.finish(succeeded: true)
        #expect(!gate.isOpen)
        #expect(!SetupGate(token: nil).isOpen)
    }

    @Test("a gate without a token admits nobody")
    func closedGate() {
        #expect(SetupGate(token: nil).claim("") == .unavailable)
    }

    @Test("generated tokens are 64 hex characters and differ")
    func generatedTokens() {
        let a = SetupGate.generateToken(), b = SetupGate.generateToken()
        #expect(a.count == 64 && a.allSatisfy(\.isHexDigit))
        #expect(a != b)
    }
}
