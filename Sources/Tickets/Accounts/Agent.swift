import Foundation

/// A help desk user (agent). The password hash never leaves the store.
public struct Agent: Sendable, Equatable, Codable {
    public let id: AgentID
    public var name: String
    /// Lower-cased; unique case-insensitively.
    public var email: String
    public var roleID: RoleID
    /// Inactive agents cannot sign in and are skipped by auto-assignment.
    public var active: Bool
    /// Away agents are skipped by auto-assignment.
    public var away: Bool
    public let createdAt: Date
}

extension Agent {
    static let columns = "id, name, email, role_id, active, away, created_at"

    init(row: Row) {
        self.init(
            id: AgentID(row.int64(0)), name: row.text(1), email: row.text(2), roleID: RoleID(row.int64(3)),
            active: row.bool(4), away: row.bool(5), createdAt: row.date(6))
    }

    /// Loads agent `id`, or nil.
    static func find(_ id: AgentID, _ db: Connection) throws -> Agent? {
        try db.first("SELECT \(columns) FROM agents WHERE id = ?", [.integer(id.rawValue)]).map(Agent.init(row:))
    }

    /// Loads the agent with (normalised) `email` and its password hash, or nil.
    static func withHash(email: String, _ db: Connection) throws -> (Agent, String)? {
        try db.first("SELECT \(columns), password_hash FROM agents WHERE email = ?", [.text(email)])
            .map { (Agent(row: $0), $0.text(7)) }
    }

    /// The number of active agents holding the Administrator role.
    static func activeAdministratorCount(_ db: Connection) throws -> Int {
        try db.first("SELECT count(*) FROM agents WHERE role_id = ? AND active = 1",
                     [.integer(RoleID.administrator.rawValue)])?.int(0) ?? 0
    }
}

/// Email normalisation shared by agents and contacts.
enum EmailAddress {
    /// RFC 5321's limit on a forward path, the longest address that can receive mail.
    static let maxLength = 254

    /// Trims and lower-cases `raw`; throws a validation error on `field` when it is not
    /// shaped like `local@domain`.
    static func normalise(_ raw: String, field: String = "email") throws -> String {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= maxLength, !email.utf8.contains(0), parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !email.contains(where: { $0.isWhitespace }) else {
            throw DomainError.validation(field, "Enter a valid email address.")
        }
        return email
    }
}
