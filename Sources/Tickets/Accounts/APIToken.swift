import Foundation

/// A personal API token as listed: the secret itself is shown once at creation and stored
/// only as its SHA-256; lists show the prefix, the scope, the expiry and the last use.
public struct APIToken: Sendable, Equatable, Codable {
    public let id: Int64
    public let agentID: AgentID
    public let name: String
    /// The first characters of the token, enough to recognise it.
    public let prefix: String
    public let createdAt: Date
    /// Recorded at most once per `SessionPolicy.touchIntervalSeconds`.
    public let lastUsedAt: Date?
    public let revokedAt: Date?
    /// After this the token no longer authenticates; nil: until revoked.
    public let expiresAt: Date?
    /// A read-only token may only read (safe methods) and holds only viewing permissions.
    public let readOnly: Bool
    /// The permissions the token is limited to (within its owner's); nil: all of the owner's.
    public let permissions: Set<Permission>?

    /// Tokens start with this so leaked ones are recognisable by secret scanners.
    static let marker = "hdk_"
    static let prefixLength = 12
    /// The permissions a read-only token keeps (when its owner holds them).
    public static let readPermissions: Set<Permission> = [.ticketView, .ticketExport, .reportsView, .auditView]

    init(id: Int64, agentID: AgentID, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, revokedAt: Date?,
         expiresAt: Date?, readOnly: Bool, permissions: Set<Permission>?) {
        self.id = id
        self.agentID = agentID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
        self.expiresAt = expiresAt
        self.readOnly = readOnly
        self.permissions = permissions
    }

    /// What the token may do for an owner holding `ownerPermissions`.
    public func effectivePermissions(_ ownerPermissions: Set<Permission>) -> Set<Permission> {
        var result = ownerPermissions
        if let permissions { result.formIntersection(permissions) }
        if readOnly { result.formIntersection(Self.readPermissions) }
        return result
    }

    /// Space-separated names, the stored form.
    static func stored(_ permissions: Set<Permission>) -> String {
        permissions.map(\.rawValue).sorted().joined(separator: " ")
    }

    static func parse(_ text: String) -> Set<Permission> {
        Set(text.split(separator: " ").compactMap { Permission(rawValue: String($0)) })
    }
}

/// What a new token may do: nil fields mean "no limit".
public struct APITokenScope: Sendable, Equatable {
    public var expiresAt: Date?
    public var readOnly: Bool
    public var permissions: Set<Permission>?

    public init(expiresAt: Date? = nil, readOnly: Bool = false, permissions: Set<Permission>? = nil) {
        self.expiresAt = expiresAt
        self.readOnly = readOnly
        self.permissions = permissions
    }
}

/// A freshly created token: `secret` is shown to the user once and never again.
public struct CreatedAPIToken: Sendable {
    public let secret: String
    public let token: APIToken
}

/// An API token that authenticated a request: the principal carries the token's effective
/// permissions (its owner's, narrowed by the token's scope).
public struct AuthenticatedToken: Sendable {
    public let principal: Principal
    public let token: APIToken
}
