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

/// The `ticket_access_links` rows, on the caller's connection.
enum AccessLinkRecord {
    struct Stored: Sendable {
        let ticketID: TicketID
        let tokenHash: [UInt8]
        let nonce: [UInt8]
        let generation: Int
        let createdAt: Date
        let expiresAt: Date?
    }

    private static let columns = "ticket_id, token_hash, nonce, generation, created_at, expires_at"

    static func find(ticket: TicketID, _ db: Connection) throws -> Stored? {
        try db.first("SELECT \(columns) FROM ticket_access_links WHERE ticket_id = ?", [.integer(ticket.rawValue)]).map(row)
    }

    /// The link whose token hashes to `hash` (an index lookup on the unique hash).
    static func find(hash: [UInt8], _ db: Connection) throws -> Stored? {
        try db.first("SELECT \(columns) FROM ticket_access_links WHERE token_hash = ?", [.blob(hash)]).map(row)
    }

    /// Inserts or replaces the link of `row.ticketID`.
    static func save(_ row: Stored, _ db: Connection) throws {
        try db.run("""
            INSERT INTO ticket_access_links (ticket_id, token_hash, nonce, generation, created_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (ticket_id) DO UPDATE SET token_hash = excluded.token_hash, nonce = excluded.nonce,
                generation = excluded.generation, created_at = excluded.created_at, expires_at = excluded.expires_at
            """, [.integer(row.ticketID.rawValue), .blob(row.tokenHash), .blob(row.nonce), .int(row.generation),
                  .date(row.createdAt), .date(row.expiresAt)])
    }

    static func setExpiry(ticket: TicketID, _ expiresAt: Date?, _ db: Connection) throws {
        try db.run("UPDATE ticket_access_links SET expires_at = ? WHERE ticket_id = ?", [.date(expiresAt), .integer(ticket.rawValue)])
    }

    private static func row(_ r: Row) -> Stored {
        Stored(ticketID: TicketID(r.int64(0)), tokenHash: r.blob(1), nonce: r.blob(2), generation: r.int(3),
            createdAt: r.date(4), expiresAt: r.optionalDate(5))
    }
}
