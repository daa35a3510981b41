import Foundation

extension AccountService {
    /// Every role with its permissions.
    public func roles() async throws -> [Role] {
        try await database.read { try RoleRecord.all($0) }
    }

    /// Creates a custom role with permissions the actor holds. Throws `.validation` (name),
    /// `.conflict` (name taken), `.forbidden` (without `roles.manage`, or granting more than held).
    public func createRole(name: String, permissions: Set<Permission>, by actor: Actor) async throws -> Role {
        try require(.rolesManage, for: actor)
        try Self.requireHolds(permissions, actor: actor, field: "permissions")
        let name = try Self.validName(name)
        let at = now()
        return try await database.write { db in
            let role = Role(id: try RoleRecord.insert(name: name, db), name: name, builtIn: false, permissions: permissions)
            try RoleRecord.storePermissions(permissions, of: role.id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .roleCreated, before: nil, after: Self.auditValues(role), at: at, subject: role.id.rawValue)
            return role
        }
    }

    /// Renames a role and/or replaces its permissions. Built-in roles are editable, but the
    /// Administrator role keeps every permission, and permissions added must be held by the
    /// actor. Throws `.notFound`, `.validation`, `.conflict`, `.forbidden`.
    public func updateRole(_ id: RoleID, name: String?, permissions: Set<Permission>?, by actor: Actor) async throws -> Role {
        try require(.rolesManage, for: actor)
        let name = try name.map(Self.validName)
        if id == .administrator, let permissions, permissions != Set(Permission.allCases) {
            throw DomainError.validation("permissions", "The Administrator role keeps every permission.")
        }
        let at = now()
        return try await database.write { db in
            guard let before = try RoleRecord.find(id, db) else { throw DomainError.notFound("Role") }
            var after = before
            if let name { after.name = name }
            if let permissions {
                try Self.requireHolds(permissions.subtracting(before.permissions), actor: actor, field: "permissions")
                after.permissions = permissions
            }
            try RoleRecord.rename(id, to: after.name, db)
            try RoleRecord.storePermissions(after.permissions, of: id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .roleUpdated,
                                before: Self.auditValues(before), after: Self.auditValues(after), at: at, subject: id.rawValue)
            return after
        }
    }

    /// Deletes a custom role nobody holds. Throws `.forbidden` for built-in roles,
    /// `.conflict` while agents hold it, `.notFound`.
    public func deleteRole(_ id: RoleID, by actor: Actor) async throws {
        try require(.rolesManage, for: actor)
        let at = now()
        try await database.write { db in
            guard let role = try RoleRecord.find(id, db) else { throw DomainError.notFound("Role") }
            guard !role.builtIn else { throw DomainError.forbidden("Built-in roles cannot be deleted.") }
            let holders = try AgentRecord.count(role: id, db)
            guard holders == 0 else { throw DomainError(.conflict, "\(holders) agent(s) still hold this role.") }
            try RoleRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .roleDeleted, before: Self.auditValues(role), after: nil, at: at, subject: id.rawValue)
        }
    }

    static func auditValues(_ role: Role) -> AuditLog.Values {
        ["name": .string(role.name), "permissions": .strings(role.permissions.map(\.rawValue).sorted())]
    }
}
