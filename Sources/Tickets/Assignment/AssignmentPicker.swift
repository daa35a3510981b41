/// The pure choice of an agent by one rule: no I/O, everything it needs is passed in.
public enum AssignmentPicker {
    /// What the picker knows of an agent when a ticket is created.
    public struct Candidate: Sendable, Equatable {
        public let id: AgentID
        public let name: String
        public let active: Bool
        public let away: Bool
        /// Tickets assigned to the agent in an active status (Open, Pending, In Progress, On Hold).
        public let openTickets: Int

        public init(id: AgentID, name: String, active: Bool, away: Bool, openTickets: Int) {
            self.id = id
            self.name = name
            self.active = active
            self.away = away
            self.openTickets = openTickets
        }
    }

    /// The chosen agent, the rotation key whose cursor moves, and why (for the audit log).
    public struct Pick: Sendable, Equatable {
        public let agent: AgentID
        /// The cursor to advance: `""` for round robin, the category's raw value for category routing.
        public let cursorKey: String
        public let reason: String
    }

    /// The agent `rule` gives a ticket of `category`, or nil when no listed agent can take it
    /// (inactive, away, at the cap, or unknown). `candidates` describes every agent;
    /// `lastAssigned` maps a cursor key to the agent that rule assigned last.
    public static func pick(_ rule: AssignmentRule, category: TicketCategory, candidates: [AgentID: Candidate],
                            lastAssigned: [String: AgentID]) -> Pick? {
        func available(_ id: AgentID) -> Candidate? {
            guard let candidate = candidates[id], candidate.active, !candidate.away else { return nil }
            if let cap = rule.maxOpenPerAgent, candidate.openTickets >= cap { return nil }
            return candidate
        }
        switch rule.method {
        case .roundRobin(let pool):
            let key = ""
            let order = rotation(pool, after: lastAssigned[key])
            guard let chosen = order.lazy.compactMap(available).first else { return nil }
            let previous = lastAssigned[key].flatMap { candidates[$0]?.name }
            let reason = previous.map { "round robin, next after \($0)" } ?? "round robin, first in the pool"
            return Pick(agent: chosen.id, cursorKey: key, reason: reason)
        case .categoryBased(let routes):
            let key = category.rawValue
            guard let agents = routes[category] else { return nil }
            let order = rotation(agents, after: lastAssigned[key]).compactMap(available)
            guard let fewest = order.map(\.openTickets).min(),
                  let chosen = order.first(where: { $0.openTickets == fewest }) else { return nil }
            return Pick(agent: chosen.id, cursorKey: key,
                        reason: "\(category.displayName) routing, least open tickets: \(fewest)")
        }
    }

    /// `list` rotated to start just after `last` (from the start when `last` is nil or not in it).
    static func rotation(_ list: [AgentID], after last: AgentID?) -> [AgentID] {
        guard let last, let index = list.firstIndex(of: last) else { return list }
        return Array(list[(index + 1)...] + list[...index])
    }
}
