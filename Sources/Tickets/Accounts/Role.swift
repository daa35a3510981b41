/// A named set of permissions. Built-in roles (Administrator, Supervisor, Agent) are seeded
/// by a migration; they can be edited but not deleted, and Administrator keeps every permission.
public struct Role: Sendable, Equatable, Codable {
    public let id: RoleID
    public var name: String
    public let builtIn: Bool
    public var permissions: Set<Permission>
}

extension Role {
    /// Loads every role with its permissions, ordered by id.
    static func all(_ db: Connection) throws -> [Role] {
        var grants: [Int64: Set<Permission>] = [:]
        for row in try db.query("SELECT role_id, permission FROM role_permissions") {
            if let permission = Permission(rawValue: row.text(1)) { grants[row.int64(0), default: []].insert(permission) }
        }
        return try db.query("SELECT id, name, built_in FROM roles ORDER BY id").map { row in
            Role(id: RoleID(row.int64(0)), name: row.text(1), builtIn: row.bool(2), permissions: grants[row.int64(0)] ?? [])
        }
    }

    /// Loads one role, or nil.
    static func find(_ id: RoleID, _ db: Connection) throws -> Role? {
        guard let row = try db.first("SELECT id, name, built_in FROM roles WHERE id = ?", [.integer(id.rawValue)]) else {
            return nil
        }
        let permissions = try db.query("SELECT permission FROM role_permissions WHERE role_id = ?", [.integer(id.rawValue)])
            .compactMap { Permission(rawValue: $0.text(0)) }
        return Role(id: id, name: row.text(1), builtIn: row.bool(2), permissions: Set(permissions))
    }

    /// Replaces the stored permissions of role `id` with `permissions`.
    static func storePermissions(_ permissions: Set<Permission>, of id: RoleID, _ db: Connection) throws {
        try db.run("DELETE FROM role_permissions WHERE role_id = ?", [.integer(id.rawValue)])
        for permission in permissions.sorted(by: { $0.rawValue < $1.rawValue }) {
            try db.run("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                       [.integer(id.rawValue), .text(permission.rawValue)])
        }
    }
}
