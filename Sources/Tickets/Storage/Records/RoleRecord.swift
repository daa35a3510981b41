import Foundation

/// `roles` and `role_permissions` rows on the caller's connection.
enum RoleRecord {
    /// Every role with its permissions, by id.
    static func all(_ db: Connection) throws -> [Role] {
        var grants: [Int64: Set<Permission>] = [:]
        for row in try db.query("SELECT role_id, permission FROM role_permissions") {
            if let permission = Permission(rawValue: row.text(1)) { grants[row.int64(0), default: []].insert(permission) }
        }
        return try db.query("SELECT id, name, built_in FROM roles ORDER BY id").map { row in
            Role(id: RoleID(row.int64(0)), name: row.text(1), builtIn: row.bool(2), permissions: grants[row.int64(0)] ?? [])
        }
    }

    /// Role `id` with its permissions, or nil.
    static func find(_ id: RoleID, _ db: Connection) throws -> Role? {
        guard let row = try db.first("SELECT id, name, built_in FROM roles WHERE id = ?", [.integer(id.rawValue)]) else {
            return nil
        }
        let permissions = try db.query("SELECT permission FROM role_permissions WHERE role_id = ?", [.integer(id.rawValue)])
            .compactMap { Permission(rawValue: $0.text(0)) }
        return Role(id: id, name: row.text(1), builtIn: row.bool(2), permissions: Set(permissions))
    }

    /// Inserts a custom role named `name` (without permissions); returns its id. Throws
    /// `.conflict` on `name` when the name is taken (in any case).
    static func insert(name: String, _ db: Connection) throws -> RoleID {
        try RecordErrors.unique(nameTaken) { RoleID(try db.insert("INSERT INTO roles (name, built_in) VALUES (?, 0)", [.text(name)])) }
    }

    /// Renames role `id`. Throws `.conflict` on `name` when the name is taken (in any case).
    static func rename(_ id: RoleID, to name: String, _ db: Connection) throws {
        try RecordErrors.unique(nameTaken) {
            try db.run("UPDATE roles SET name = ? WHERE id = ?", [.text(name), .integer(id.rawValue)])
        }
    }

    /// Deletes role `id` (its permissions go with it).
    static func delete(_ id: RoleID, _ db: Connection) throws {
        try db.run("DELETE FROM roles WHERE id = ?", [.integer(id.rawValue)])
    }

    /// Replaces the stored permissions of role `id` with `permissions`.
    static func storePermissions(_ permissions: Set<Permission>, of id: RoleID, _ db: Connection) throws {
        try db.run("DELETE FROM role_permissions WHERE role_id = ?", [.integer(id.rawValue)])
        for permission in permissions.sorted(by: { $0.rawValue < $1.rawValue }) {
            try db.run("INSERT INTO role_permissions (role_id, permission) VALUES (?, ?)",
                       [.integer(id.rawValue), .text(permission.rawValue)])
        }
    }

    private static var nameTaken: DomainError {
        DomainError(.conflict, "A role with this name already exists.", field: "name")
    }
}
