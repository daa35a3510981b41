import Foundation
import Synchronization

/// The one-time setup token that lets the first administrator be created over HTTP. It
/// exists only when the server started with no agents; it is compared in constant time,
/// admits one attempt at a time, and is spent by the first success.
public final class SetupGate: Sendable {
    private enum State {
        /// Waiting for the token.
        case open(token: String)
        /// A setup request holding the token is running.
        case claimed(token: String)
        /// Setup is done (or was never needed).
        case closed
    }

    private let state: Mutex<State>

    /// A gate that admits `token`, or a closed gate when `token` is nil.
    public init(token: String?) {
        state = Mutex(token.map { .open(token: $0) } ?? .closed)
    }

    /// A new random token: 32 bytes from the system's CSPRNG, URL-safe hex.
    public static func generateToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
    }

    /// The outcome of presenting a token.
    enum Claim: Equatable {
        /// The caller holds the gate and must call `finish(succeeded:)`.
        case granted
        /// The token does not match.
        case wrongToken
        /// Setup is over, or another request is using the token right now.
        case unavailable
    }

    /// Claims the gate when `presented` equals the token.
    func claim(_ presented: String) -> Claim {
        state.withLock { state in
            switch state {
            case .open(let token):
                guard Self.constantTimeEqual(Array(presented.utf8), Array(token.utf8)) else { return .wrongToken }
                state = .claimed(token: token)
                return .granted
            case .claimed, .closed:
                return .unavailable
            }
        }
    }

    /// Ends a claim: success closes the gate for good, failure reopens it.
    func finish(succeeded: Bool) {
        state.withLock { state in
            if case .claimed(let token) = state { state = succeeded ? .closed : .open(token: token) }
        }
    }

    /// True while the gate waits for its token (or a setup request holds it).
    var isOpen: Bool {
        state.withLock { state in
            switch state {
            case .open, .claimed: true
            case .closed: false
            }
        }
    }

    /// Closes the gate (an agent exists, so setup is no longer needed).
    func close() {
        state.withLock { $0 = .closed }
    }

    /// Compares without an early exit, so timing does not reveal a matching prefix.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
