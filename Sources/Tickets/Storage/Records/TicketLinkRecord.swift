import Foundation

/// `ticket_links` rows on the caller's connection. A related-ticket link is one row, made
/// from either side and shown on both.
enum TicketLinkRecord {
    /// The links shown on `ticket`: its own and the ticket links other tickets made to it, oldest first.
    static func list(_ ticket: TicketID, _ db: Connection) throws -> [TicketLink] {
        try db.query("""
            SELECT l.id, l.kind, l.title, l.url, l.created_by, l.created_at, o.id, o.number, o.subject, o.status, l.status_text
            FROM ticket_links l
            LEFT JOIN tickets o ON o.id = CASE WHEN l.ticket_id = ? THEN l.target_ticket_id ELSE l.ticket_id END
            WHERE l.ticket_id = ? OR l.target_ticket_id = ? ORDER BY l.id
            """, Array(repeating: .integer(ticket.rawValue), count: 3)).map { row in
            let kind = TicketLinkKind(rawValue: row.text(1)) ?? .issue
            let other: TicketLink.LinkedTicket? = row.optionalInt64(6).map {
                TicketLink.LinkedTicket(id: TicketID($0), reference: TicketReference.format(row.int64(7)), subject: row.text(8),
                                        status: TicketStatus(rawValue: row.text(9)) ?? .open)
            }
            return TicketLink(id: TicketLinkID(row.int64(0)), kind: kind,
                              title: other.map { "\($0.reference) \($0.subject)" } ?? row.text(2), url: row.optionalText(3),
                              statusText: row.optionalText(10), linkedTicket: other, createdBy: row.optionalInt64(4).map(AgentID.init), createdAt: row.date(5))
        }
    }

    /// Stores a link from `ticket`: an external record (`title`, `url`, `statusText`) or,
    /// with `target`, a related ticket. Returns its id.
    static func insert(from ticket: TicketID, kind: TicketLinkKind, title: String, url: String?, target: TicketID?,
                       statusText: String?, by agent: AgentID?, at: Date, _ db: Connection) throws -> TicketLinkID {
        TicketLinkID(try db.insert("""
            INSERT INTO ticket_links (ticket_id, kind, title, url, target_ticket_id, created_by, created_at, status_text)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(ticket.rawValue), .text(kind.rawValue), .text(title), .optional(url), .optional(target?.rawValue),
                  .optional(agent?.rawValue), .date(at), .optional(statusText)]))
    }

    /// Sets the status text of link `id` (nil: none).
    static func setStatusText(_ text: String?, of id: TicketLinkID, _ db: Connection) throws {
        try db.run("UPDATE ticket_links SET status_text = ? WHERE id = ?", [.optional(text), .integer(id.rawValue)])
    }

    /// Deletes link `id`.
    static func delete(_ id: TicketLinkID, _ db: Connection) throws {
        try db.run("DELETE FROM ticket_links WHERE id = ?", [.integer(id.rawValue)])
    }
}
