import Foundation

/// Watcher rows on the caller's connection.
enum WatcherRecord {
    /// The watchers of `ticket`, in the order they were added.
    static func list(_ ticket: TicketID, _ db: Connection) throws -> [AgentID] {
        try db.query("SELECT agent_id FROM ticket_watchers WHERE ticket_id = ? ORDER BY added_at, agent_id",
                     [.integer(ticket.rawValue)]).map { AgentID($0.int64(0)) }
    }

    /// Adds `agent` to `ticket`'s watchers; returns false when it already watched.
    static func add(_ agent: AgentID, to ticket: TicketID, at: Date, _ db: Connection) throws -> Bool {
        try db.run("""
            INSERT INTO ticket_watchers (ticket_id, agent_id, added_at) VALUES (?, ?, ?) ON CONFLICT (ticket_id, agent_id) DO NOTHING
            """, [.integer(ticket.rawValue), .integer(agent.rawValue), .date(at)]) == 1
    }

    /// Removes `agent` from `ticket`'s watchers; returns false when it did not watch.
    static func remove(_ agent: AgentID, from ticket: TicketID, _ db: Connection) throws -> Bool {
        try db.run("DELETE FROM ticket_watchers WHERE ticket_id = ? AND agent_id = ?",
                   [.integer(ticket.rawValue), .integer(agent.rawValue)]) == 1
    }

    /// Adds the watchers of `source` to `target`'s (keeping when each started watching);
    /// agents already watching `target` keep their row.
    static func copy(from source: TicketID, to target: TicketID, _ db: Connection) throws {
        try db.run("""
            INSERT INTO ticket_watchers (ticket_id, agent_id, added_at)
            SELECT ?, agent_id, added_at FROM ticket_watchers WHERE ticket_id = ?
            ON CONFLICT (ticket_id, agent_id) DO NOTHING
            """, [.integer(target.rawValue), .integer(source.rawValue)])
    }
}
