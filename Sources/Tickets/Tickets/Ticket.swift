import Foundation

/// A support ticket with every structured field.
public struct Ticket: Sendable, Equatable, Codable {
    public let id: TicketID
    /// The sequence number behind the reference; never reused.
    public let number: Int64
    public var subject: String
    public var description: String
    public var status: TicketStatus
    public var priority: TicketPriority
    public var category: TicketCategory
    public var channel: TicketChannel
    public var dueAt: Date?
    public var requesterID: ContactID
    public var assigneeID: AgentID?
    /// Sorted, lower-cased, unique.
    public var tags: [String]
    public let createdAt: Date
    public var updatedAt: Date
    /// The first public reply by an agent.
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var closedAt: Date?
    /// Incremented by every change; updates state the version they read.
    public var version: Int64
    /// Set when this ticket was merged into another (it is then Closed); never cleared.
    public var mergedIntoID: TicketID? = nil

    /// `TKT-001`, `TKT-042`, `TKT-1234`.
    public var reference: String { TicketReference.format(number) }
}

/// Ticket references: `TKT-` and the number with at least three digits.
public enum TicketReference {
    public static let prefix = "TKT-"

    /// The reference for `number`.
    public static func format(_ number: Int64) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The number in `reference` (case-insensitive prefix), or nil when it is not a reference.
    public static func parse(_ reference: String) -> Int64? {
        let text = reference.trimmingCharacters(in: .whitespaces).uppercased()
        guard text.hasPrefix(prefix), let number = Int64(text.dropFirst(prefix.count)), number > 0 else { return nil }
        return number
    }
}
