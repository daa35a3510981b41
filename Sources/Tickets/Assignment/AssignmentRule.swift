import Foundation

public struct AssignmentRuleID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// Which new tickets a rule applies to. An empty set means "any".
public struct AssignmentConditions: Sendable, Equatable {
    public var categories: Set<TicketCategory>
    public var priorities: Set<TicketPriority>
    public var channels: Set<TicketChannel>

    public init(categories: Set<TicketCategory> = [], priorities: Set<TicketPriority> = [], channels: Set<TicketChannel> = []) {
        self.categories = categories
        self.priorities = priorities
        self.channels = channels
    }

    /// True when the ticket's category, priority and channel each pass their set.
    public func matches(category: TicketCategory, priority: TicketPriority, channel: TicketChannel) -> Bool {
        (categories.isEmpty || categories.contains(category))
            && (priorities.isEmpty || priorities.contains(priority))
            && (channels.isEmpty || channels.contains(channel))
    }
}

/// How a rule picks the agent.
public enum AssignmentMethod: Sendable, Equatable {
    /// Rotate through `pool` in order, skipping agents who cannot take the ticket.
    case roundRobin(pool: [AgentID])
    /// Route by the ticket's category to the agents listed for it; among them the one with
    /// the fewest open tickets, ties broken by rotation.
    case categoryBased(routes: [TicketCategory: [AgentID]])

    /// Every agent the method names, once each, in order.
    public var agents: [AgentID] {
        let all: [AgentID] = switch self {
        case .roundRobin(let pool): pool
        case .categoryBased(let routes): routes.keys.sorted { $0.rawValue < $1.rawValue }.flatMap { routes[$0] ?? [] }
        }
        var seen = Set<AgentID>()
        return all.filter { seen.insert($0).inserted }
    }

    /// The stable API/database name.
    public var name: String {
        switch self {
        case .roundRobin: "round_robin"
        case .categoryBased: "category_based"
        }
    }
}

/// An auto-assignment rule. Rules are evaluated in `position` order on ticket creation; the
/// first enabled rule that matches and yields an agent assigns the ticket.
public struct AssignmentRule: Sendable, Equatable {
    public let id: AssignmentRuleID
    public var name: String
    /// 1-based priority order; lower runs first.
    public var position: Int
    public var enabled: Bool
    public var conditions: AssignmentConditions
    public var method: AssignmentMethod
    /// Agents with this many open tickets or more are skipped; nil: no cap.
    public var maxOpenPerAgent: Int?
    public let createdAt: Date
    public var updatedAt: Date
}

/// The fields of a new rule, or the changes to one (nil: leave as is; for `maxOpenPerAgent`,
/// `.some(nil)` removes the cap).
public struct AssignmentRuleDraft: Sendable {
    public var name: String?
    public var enabled: Bool?
    public var conditions: AssignmentConditions?
    public var method: AssignmentMethod?
    public var maxOpenPerAgent: Int??

    public init(name: String? = nil, enabled: Bool? = nil, conditions: AssignmentConditions? = nil,
                method: AssignmentMethod? = nil, maxOpenPerAgent: Int?? = nil) {
        self.name = name
        self.enabled = enabled
        self.conditions = conditions
        self.method = method
        self.maxOpenPerAgent = maxOpenPerAgent
    }
}
