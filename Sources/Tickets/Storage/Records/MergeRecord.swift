import Foundation

/// The rows a merge moves from a secondary ticket to its primary, on the caller's connection.
enum MergeRecord {
    /// Moves every reply and note of `secondary` (system messages stay) to `primary`; returns
    /// their ids in time order.
    static func moveRepliesAndNotes(from secondary: TicketID, to primary: TicketID, _ db: Connection) throws -> [MessageID] {
        let movable = "ticket_id = ? AND kind IN ('\(MessageKind.reply.rawValue)', '\(MessageKind.note.rawValue)')"
        let moved = try db.query("SELECT id FROM messages WHERE \(movable) ORDER BY created_at, id",
                                 [.integer(secondary.rawValue)]).map { MessageID($0.int64(0)) }
        try db.run("UPDATE messages SET ticket_id = ? WHERE \(movable)", [.integer(primary.rawValue), .integer(secondary.rawValue)])
        return moved
    }
}
