import Foundation
import Realtime
import Tickets

/// An auto-assignment rule as the API shows it. `agents` is the round-robin pool (empty for
/// category routing); `categoryAgents` maps a category to its agents (empty for round robin).
struct AssignmentRuleJSON: Encodable, Sendable {
    struct Conditions: Encodable, Sendable {
        let categories: [String]
        let priorities: [String]
        let channels: [String]
    }

    let id: Int64
    let name: String
    let position: Int
    let enabled: Bool
    let method: String
    let conditions: Conditions
    let agents: [AgentRefJSON]
    let categoryAgents: [String: [AgentRefJSON]]
    @Nullable var maxOpenTickets: Int?
    let createdAt: Date
    let updatedAt: Date

    init(_ rule: AssignmentRule, _ people: PeopleDirectory) {
        id = rule.id.rawValue
        name = rule.name
        position = rule.position
        enabled = rule.enabled
        method = rule.method.name
        conditions = Conditions(categories: rule.conditions.categories.map(\.rawValue).sorted(),
                                priorities: rule.conditions.priorities.sorted { $0.rank < $1.rank }.map(\.rawValue),
                                channels: rule.conditions.channels.map(\.rawValue).sorted())
        switch rule.method {
        case .roundRobin(let pool):
            agents = pool.compactMap(people.agent)
            categoryAgents = [:]
        case .categoryBased(let routes):
            agents = []
            categoryAgents = Dictionary(uniqueKeysWithValues: routes.map { ($0.key.rawValue, $0.value.compactMap(people.agent)) })
        }
        maxOpenTickets = rule.maxOpenPerAgent
        createdAt = rule.createdAt
        updatedAt = rule.updatedAt
    }

    /// The rules with their agents' names.
    static func list(_ rules: [AssignmentRule], _ services: Services) async throws -> [AssignmentRuleJSON] {
        let people = try await PeopleDirectory.load(services, contacts: [])
        return rules.map { AssignmentRuleJSON($0, people) }
    }
}

/// `POST` and `PATCH /api/assignment-rules`: only the keys present change. `agentIds` sets a
/// round-robin pool and `categoryAgents` a category routing (each implies its `method`);
/// `method` alone must come with its list. `maxOpenTickets: null` removes the cap.
struct AssignmentRuleBody: Decodable {
    struct ConditionsBody: Decodable {
        let categories: [TicketCategory]?
        let priorities: [TicketPriority]?
        let channels: [TicketChannel]?
    }

    let draft: AssignmentRuleDraft

    private enum Keys: String, CodingKey { case name, enabled, method, conditions, agentIds, categoryAgents, maxOpenTickets }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var draft = AssignmentRuleDraft()
        draft.name = try c.decodeIfPresent(String.self, forKey: .name)
        draft.enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        if let conditions = try c.decodeIfPresent(ConditionsBody.self, forKey: .conditions) {
            draft.conditions = AssignmentConditions(categories: Set(conditions.categories ?? []),
                                                    priorities: Set(conditions.priorities ?? []),
                                                    channels: Set(conditions.channels ?? []))
        }
        let method = try c.decodeIfPresent(String.self, forKey: .method)
        let pool = try c.decodeIfPresent([Int64].self, forKey: .agentIds)
        let routes = try c.decodeIfPresent([String: [Int64]].self, forKey: .categoryAgents)
        draft.method = try Self.method(method, pool: pool, routes: routes)
        if c.contains(.maxOpenTickets) {
            draft.maxOpenPerAgent = .some(try c.decodeNil(forKey: .maxOpenTickets) ? nil : try c.decode(Int.self, forKey: .maxOpenTickets))
        }
        self.draft = draft
    }

    private static func method(_ name: String?, pool: [Int64]?, routes: [String: [Int64]]?) throws -> AssignmentMethod? {
        switch (name, pool, routes) {
        case (nil, nil, nil): return nil
        case (_, .some, .some):
            throw ProblemError.unprocessable("Send agentIds (round robin) or categoryAgents (category based), not both.", field: "agentIds")
        case ("round_robin", let pool?, nil), (nil, let pool?, nil):
            return .roundRobin(pool: pool.map(AgentID.init))
        case ("category_based", nil, let routes?), (nil, nil, let routes?):
            var mapped: [TicketCategory: [AgentID]] = [:]
            for (key, agents) in routes {
                guard let category = TicketCategory(rawValue: key) else {
                    throw ProblemError.unprocessable("Unknown category \(key).", field: "categoryAgents")
                }
                mapped[category] = agents.map(AgentID.init)
            }
            return .categoryBased(routes: mapped)
        case ("round_robin", _, _): throw ProblemError.unprocessable("Round robin needs agentIds.", field: "agentIds")
        case ("category_based", _, _):
            throw ProblemError.unprocessable("Category based needs categoryAgents.", field: "categoryAgents")
        case (.some, _, _): throw ProblemError.unprocessable("Use round_robin or category_based.", field: "method")
        }
    }
}
