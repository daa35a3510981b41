import Foundation

/// How one thread message travelled by email: a customer's email taken in, or an agent's
/// reply sent out through the outbox with its delivery state.
public struct EmailMark: Sendable, Equatable {
    public enum Direction: String, Sendable {
        case inbound = "in"
        case outbound = "out"
    }

    /// Where an outgoing email stands in the outbox (`mail_outbox.state`).
    public enum Delivery: String, Sendable, CaseIterable {
        case queued, sent, failed
    }

    public let direction: Direction
    /// Outgoing: the address it was sent to.
    public let recipient: String?
    /// Outgoing: nil when the outbox row is gone.
    public let delivery: Delivery?
    /// Outgoing: the server's answer of the last failed attempt (permanent once `failed`).
    public let lastError: String?
}

extension TicketService {
    /// The email marks of the messages filed on ticket `id`, by message id; messages that did
    /// not travel by email are absent. Read through `mail_messages` (indexed by ticket), so a
    /// message moved by a merge keeps no mark: its email row names the ticket it was filed on.
    /// The caller has already checked that its viewer may see the ticket.
    public func emailMarks(ticket id: TicketID) async throws -> [MessageID: EmailMark] {
        try await database.read { db in
            var marks: [MessageID: EmailMark] = [:]
            let rows = try db.query("""
                SELECT m.thread_message_id, m.direction, o.state, o.last_error, json_extract(o.payload, '$.toAddress')
                FROM mail_messages m LEFT JOIN mail_outbox o ON o.message_id = m.message_id
                WHERE m.ticket_id = ? AND m.thread_message_id IS NOT NULL
                """, [.integer(id.rawValue)])
            for row in rows {
                guard let direction = EmailMark.Direction(rawValue: row.text(1)) else { continue }
                marks[MessageID(row.int64(0))] = EmailMark(
                    direction: direction, recipient: row.optionalText(4),
                    delivery: row.optionalText(2).flatMap(EmailMark.Delivery.init(rawValue:)), lastError: row.optionalText(3))
            }
            return marks
        }
    }
}
