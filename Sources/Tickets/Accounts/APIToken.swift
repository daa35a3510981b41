import Foundation

/// A personal API token as listed: the secret itself is shown once at creation and stored
/// only as its SHA-256; lists show the prefix.
public struct APIToken: Sendable, Equatable, Codable {
    public let id: Int64
    public let agentID: AgentID
    public let name: String
    /// The first characters of the token, enough to recognise it.
    public let prefix: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?

    /// Tokens start with this so leaked ones are recognisable by secret scanners.
    static let marker = "hdk_"
    static let prefixLength = 12
    static let columns = "id, agent_id, name, prefix, created_at, last_used_at, revoked_at"

    init(row: Row) {
        self.init(
            id: row.int64(0), agentID: AgentID(row.int64(1)), name: row.text(2), prefix: row.text(3),
            createdAt: row.date(4), lastUsedAt: row.optionalDate(5), revokedAt: row.optionalDate(6))
    }

    init(id: Int64, agentID: AgentID, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?) {
        self.id = id
        self.agentID = agentID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A freshly created token: `secret` is shown to the user once and never again.
public struct CreatedAPIToken: Sendable {
    public let secret: String
    public let token: APIToken
}
