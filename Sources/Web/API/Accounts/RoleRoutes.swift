import Foundation
import Realtime
import Tickets

/// `/api/roles` (roles.manage) and `/api/permissions` (any agent).
enum RoleRoutes {
    struct CreateRequest: Decodable {
        let name: String
        let permissions: [String]
    }

    struct UpdateRequest: Decodable {
        let name: String?
        let permissions: [String]?
    }

    static func register(_ routes: APIRoutes) {
        let accounts = routes.services.accounts
        routes.api(.get, "/api/permissions", permission: nil) { _ in
            try JSONBody.response(PermissionCatalog.entries)
        }
        routes.api(.get, "/api/roles", permission: .rolesManage) { _ in
            try JSONBody.response(try await accounts.roles().map(RoleBody.init))
        }
        routes.api(.post, "/api/roles", permission: .rolesManage) { request in
            let body = try request.decode(CreateRequest.self)
            let role = try await accounts.createRole(name: body.name, permissions: try PermissionCatalog.parse(body.permissions),
                                                     by: request.actor)
            return try JSONBody.response(RoleBody(role), status: .created)
        }
        routes.api(.patch, "/api/roles/:id", permission: .rolesManage) { request in
            let id = RoleID(try request.id("id"))
            let body = try request.decode(UpdateRequest.self)
            let permissions = try body.permissions.map { try PermissionCatalog.parse($0) }
            let role = try await accounts.updateRole(id, name: body.name, permissions: permissions, by: request.actor)
            return try JSONBody.response(RoleBody(role))
        }
        routes.api(.delete, "/api/roles/:id", permission: .rolesManage) { request in
            try await accounts.deleteRole(RoleID(try request.id("id")), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
    }
}
