/// A named set of permissions. Built-in roles (Administrator, Supervisor, Agent) are seeded
/// by a migration; they can be edited but not deleted, and Administrator keeps every permission.
public struct Role: Sendable, Equatable, Codable {
    public let id: RoleID
    public var name: String
    public let builtIn: Bool
    public var permissions: Set<Permission>
}
