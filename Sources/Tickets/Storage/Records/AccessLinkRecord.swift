import Foundation

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
