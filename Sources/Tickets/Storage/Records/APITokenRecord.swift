import Foundation

/// `api_tokens` rows (the secret stored only as its SHA-256) on the caller's connection.
enum APITokenRecord {
    static let columns = "id, agent_id, name, prefix, created_at, last_used_at, revoked_at, expires_at, read_only, permissions"

    static func token(_ row: Row) -> APIToken {
        APIToken(
            id: row.int64(0), agentID: AgentID(row.int64(1)), name: row.text(2), prefix: row.text(3),
            createdAt: row.date(4), lastUsedAt: row.optionalDate(5), revokedAt: row.optionalDate(6),
            expiresAt: row.optionalDate(7), readOnly: row.bool(8), permissions: row.optionalText(9).map(APIToken.parse))
    }

    /// How many tokens `agent` holds, revoked ones included.
    static func count(of agent: AgentID, _ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM api_tokens WHERE agent_id = ?", [.integer(agent.rawValue)])?.int(0) ?? 0
    }

    /// Stores a new token (`token.id`, last use and revocation are ignored) with the digest
    /// of its secret; returns its id.
    static func insert(_ token: APIToken, digest: [UInt8], _ db: Connection) throws -> Int64 {
        try db.insert("""
            INSERT INTO api_tokens (agent_id, name, prefix, token_hash, created_at, expires_at, read_only, permissions)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(token.agentID.rawValue), .text(token.name), .text(token.prefix), .blob(digest), .date(token.createdAt),
                  .date(token.expiresAt), .bool(token.readOnly), token.permissions.map { .text(APIToken.stored($0)) } ?? .null])
    }

    /// The tokens of `agent`, newest first.
    static func all(of agent: AgentID, _ db: Connection) throws -> [APIToken] {
        try db.query("SELECT \(columns) FROM api_tokens WHERE agent_id = ? ORDER BY id DESC", [.integer(agent.rawValue)]).map(token)
    }

    /// The owner of token `id`, or nil when there is no such token.
    static func owner(of id: Int64, _ db: Connection) throws -> AgentID? {
        try db.first("SELECT agent_id FROM api_tokens WHERE id = ?", [.integer(id)]).map { AgentID($0.int64(0)) }
    }

    /// The unrevoked token whose secret hashes to `digest`, or nil.
    static func live(digest: [UInt8], _ db: Connection) throws -> APIToken? {
        try db.first("SELECT \(columns) FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", [.blob(digest)]).map(token)
    }

    /// Revokes token `id` at `at` (a revoked token keeps its first revocation time).
    static func revoke(_ id: Int64, at: Date, _ db: Connection) throws {
        try db.run("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", [.date(at), .integer(id)])
    }

    /// Revokes every live token of `agent` at `at`.
    static func revokeAll(of agent: AgentID, at: Date, _ db: Connection) throws {
        try db.run("UPDATE api_tokens SET revoked_at = ? WHERE agent_id = ? AND revoked_at IS NULL", [.date(at), .integer(agent.rawValue)])
    }

    /// Records a use of token `id` at `at`.
    static func touch(_ id: Int64, at: Date, _ db: Connection) throws {
        try db.run("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [.date(at), .integer(id)])
    }
}
