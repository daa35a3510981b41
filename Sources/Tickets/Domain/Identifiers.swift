/// Typed row identifiers: an agent id cannot be passed where a ticket id is expected.
public struct AgentID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

public struct ContactID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

public struct TicketID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

public struct MessageID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
    public static func < (a: MessageID, b: MessageID) -> Bool { a.rawValue < b.rawValue }
}

public struct RoleID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }

    /// The built-in roles seeded by migration 2.
    public static let administrator = RoleID(1)
    public static let supervisor = RoleID(2)
    public static let agent = RoleID(3)
}

public struct AttachmentID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// A typed row id whose stored and wire form is the bare number (`7`, not `{"rawValue":7}`),
/// e.g. in event-log payloads.
public protocol NumericIdentifier: Codable {
    var rawValue: Int64 { get }
    init(_ rawValue: Int64)
}

extension NumericIdentifier {
    public init(from decoder: Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension AgentID: NumericIdentifier {}
extension ContactID: NumericIdentifier {}
extension TicketID: NumericIdentifier {}
extension MessageID: NumericIdentifier {}
extension RoleID: NumericIdentifier {}
extension AttachmentID: NumericIdentifier {}
extension TicketLinkID: NumericIdentifier {}
extension AssignmentRuleID: NumericIdentifier {}
extension CannedResponseID: NumericIdentifier {}
extension SLAPolicyID: NumericIdentifier {}
