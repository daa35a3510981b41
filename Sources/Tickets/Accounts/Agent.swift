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
