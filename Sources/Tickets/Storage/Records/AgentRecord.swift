import Foundation

/// `agents` rows on the caller's connection. The password hash is read only with
/// `withHash` and written only by `insert` and `setPasswordHash`.
enum AgentRecord {
    static let columns = "id, name, email, role_id, active, away, created_at"

    static func agent(_ row: Row) -> Agent {
        Agent(id: AgentID(row.int64(0)), name: row.text(1), email: row.text(2), roleID: RoleID(row.int64(3)),
              active: row.bool(4), away: row.bool(5), createdAt: row.date(6))
    }

    /// Agent `id`, or nil.
    static func find(_ id: AgentID, _ db: Connection) throws -> Agent? {
        try db.first("SELECT \(columns) FROM agents WHERE id = ?", [.integer(id.rawValue)]).map(agent)
    }

    /// The agent with (normalised) `email` and its password hash, or nil.
    static func withHash(email: String, _ db: Connection) throws -> (Agent, String)? {
        try db.first("SELECT \(columns), password_hash FROM agents WHERE email = ?", [.text(email)])
            .map { (agent($0), $0.text(7)) }
    }

    /// Whether an agent with (normalised) `email` exists.
    static func exists(email: String, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM agents WHERE email = ?", [.text(email)]) != nil
    }

    /// Every agent by name (ASCII letters in any case sort together, as SQLite's `lower`
    /// folds them), then id.
    static func all(_ db: Connection) throws -> [Agent] {
        try db.query("SELECT \(columns) FROM agents ORDER BY lower(name), id").map(agent)
    }

    /// The active agents' ids, names and emails, by id (who a note may mention).
    static func active(_ db: Connection) throws -> [(id: AgentID, name: String, email: String)] {
        try db.query("SELECT id, name, email FROM agents WHERE active = 1 ORDER BY id").map {
            (AgentID($0.int64(0)), $0.text(1), $0.text(2))
        }
    }

    /// The number of active agents holding role `role`.
    static func activeCount(role: RoleID, _ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM agents WHERE role_id = ? AND active = 1", [.integer(role.rawValue)])?.int(0) ?? 0
    }

    /// The number of agents (active or not) holding role `role`.
    static func count(role: RoleID, _ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM agents WHERE role_id = ?", [.integer(role.rawValue)])?.int(0) ?? 0
    }

    /// Inserts an agent (`agent.id` is ignored) with `passwordHash`; returns it with its new
    /// id. Throws `.conflict` on `email` when the email is taken.
    static func insert(_ agent: Agent, passwordHash: String, _ db: Connection) throws -> Agent {
        let id = try RecordErrors.unique(emailTaken) {
            AgentID(try db.insert("""
                INSERT INTO agents (name, email, password_hash, role_id, active, away, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(agent.name), .text(agent.email), .text(passwordHash), .integer(agent.roleID.rawValue),
                      .bool(agent.active), .bool(agent.away), .date(agent.createdAt)]))
        }
        return Agent(id: id, name: agent.name, email: agent.email, roleID: agent.roleID, active: agent.active,
                     away: agent.away, createdAt: agent.createdAt)
    }

    /// Writes name, email, role and the active and away flags of `agent`. Throws `.conflict`
    /// on `email` when the email is taken.
    static func update(_ agent: Agent, _ db: Connection) throws {
        try RecordErrors.unique(emailTaken) {
            try db.run("UPDATE agents SET name = ?, email = ?, role_id = ?, active = ?, away = ? WHERE id = ?",
                       [.text(agent.name), .text(agent.email), .integer(agent.roleID.rawValue), .bool(agent.active),
                        .bool(agent.away), .integer(agent.id.rawValue)])
        }
    }

    /// Replaces the password hash of agent `id`.
    static func setPasswordHash(_ hash: String, of id: AgentID, _ db: Connection) throws {
        try db.run("UPDATE agents SET password_hash = ? WHERE id = ?", [.text(hash), .integer(id.rawValue)])
    }

    private static var emailTaken: DomainError {
        DomainError(.conflict, "An agent with this email already exists.", field: "email")
    }
}
