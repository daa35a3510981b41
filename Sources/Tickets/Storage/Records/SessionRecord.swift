import Foundation

/// `sessions` rows (keyed by the SHA-256 of the session token) on the caller's connection.
enum SessionRecord {
    /// A stored session.
    struct Stored {
        let agentID: AgentID
        let csrfToken: String
        let createdAt: Date
        let lastSeenAt: Date
    }

    /// The session whose token hashes to `digest`, or nil.
    static func find(digest: [UInt8], _ db: Connection) throws -> Stored? {
        try db.first("SELECT agent_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = ?", [.blob(digest)])
            .map { Stored(agentID: AgentID($0.int64(0)), csrfToken: $0.text(1), createdAt: $0.date(2), lastSeenAt: $0.date(3)) }
    }

    /// Stores a new session for `agent`.
    static func insert(digest: [UInt8], agent: AgentID, csrfToken: String, at: Date, _ db: Connection) throws {
        try db.run("""
            INSERT INTO sessions (token_hash, agent_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)
            """, [.blob(digest), .integer(agent.rawValue), .text(csrfToken), .date(at), .date(at)])
    }

    /// Records activity on the session whose token hashes to `digest`.
    static func touch(digest: [UInt8], at: Date, _ db: Connection) throws {
        try db.run("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", [.date(at), .blob(digest)])
    }

    /// Deletes the session whose token hashes to `digest` (none: nothing happens).
    static func delete(digest: [UInt8], _ db: Connection) throws {
        try db.run("DELETE FROM sessions WHERE token_hash = ?", [.blob(digest)])
    }

    /// Deletes every session of `agent`.
    static func deleteAll(of agent: AgentID, _ db: Connection) throws {
        try db.run("DELETE FROM sessions WHERE agent_id = ?", [.integer(agent.rawValue)])
    }

    /// Deletes the sessions last seen before `idleBefore` or created before `bornBefore`;
    /// returns the agents they belonged to (each once) and how many were deleted.
    static func purge(idleBefore: Date, bornBefore: Date, _ db: Connection) throws -> (agents: [AgentID], purged: Int) {
        let bounds: [SQLValue] = [.date(idleBefore), .date(bornBefore)]
        let agents = try db.query("SELECT DISTINCT agent_id FROM sessions WHERE last_seen_at < ? OR created_at < ?", bounds)
            .map { AgentID($0.int64(0)) }
        return (agents, try db.run("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?", bounds))
    }
}
