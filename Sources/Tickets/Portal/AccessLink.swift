import Foundation

/// A ticket's requester access link as the agent's ticket page shows it.
public struct AccessLink: Sendable, Equatable {
    public let ticketID: TicketID
    /// The token to put in the portal URL; nil when the server's link key changed since the
    /// link was made (the link still opens; regenerate it to show a new one).
    public let token: String?
    /// 1 for the first link, +1 for each regeneration.
    public let generation: Int
    public let createdAt: Date
    /// Nil: the link never expires.
    public let expiresAt: Date?

    /// True when the link no longer opens at `now`.
    public func isExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }
}

/// What an access-link command did, as its event and audit entry record it (never the token).
public struct AccessLinkChange: Sendable, Equatable, Codable {
    public enum Action: String, Sendable, Codable {
        /// The ticket's first link.
        case issued
        /// A new token replaced the old one, which no longer opens the ticket.
        case regenerated
        /// Only the expiry changed.
        case expiryChanged = "expiry_changed"
    }

    public let action: Action
    public let generation: Int
    public let expiresAt: Date?
}
