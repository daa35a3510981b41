import Foundation
import Realtime
import Tickets

/// What the live endpoint knows about one connection: who it is and what it follows.
/// Touched only on the socket's event loop (every handler callback runs there).
final class LiveSession: @unchecked Sendable {
    let principal: Principal
    /// The session token the socket authenticated with, to notice a logout (nil for API tokens).
    let sessionToken: String?
    var rooms: Set<String> = []
    /// Messages accepted in the current one-second window, for rate limiting.
    var windowStart = Date.distantPast
    var messagesInWindow = 0

    init(principal: Principal, sessionToken: String?) {
        self.principal = principal
        self.sessionToken = sessionToken
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
