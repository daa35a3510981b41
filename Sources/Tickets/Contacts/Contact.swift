import Foundation

/// A requester: somebody who asks for help. Matched by email case-insensitively.
public struct Contact: Sendable, Equatable, Codable {
    public let id: ContactID
    public var name: String
    /// Lower-cased.
    public var email: String
    public let createdAt: Date
}
