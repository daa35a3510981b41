import Foundation
import Realtime
import Tickets

/// What the live endpoint knows about one connection: who it is and what it follows.
/// Touched only on the socket's event loop (every handler callback runs there).
final class LiveSession: @unchecked Sendable {
    /// Who the socket acts for, with the permissions of the last check (replaced when an
    /// access event re-checks the credential).
    var principal: Principal
    /// The session cookie or API token the socket authenticated with: re-checked whenever
    /// an access event names its agent or role, and the socket closed when it fails.
    let credential: Credential
    var rooms: Set<String> = []
    /// Messages accepted in the current one-second window, for rate limiting.
    var windowStart = Date.distantPast
    var messagesInWindow = 0

    init(principal: Principal, credential: Credential) {
        self.principal = principal
        self.credential = credential
    }

    var userID: Int64 { principal.agent.id.rawValue }

    /// Counts one client message; false when the client exceeds `limitPerSecond`.
    func admitMessage(now: Date, limitPerSecond: Int) -> Bool {
        if now.timeIntervalSince(windowStart) >= 1 {
            windowStart = now
            messagesInWindow = 0
        }
        messagesInWindow += 1
        return messagesInWindow <= limitPerSecond
    }
}
