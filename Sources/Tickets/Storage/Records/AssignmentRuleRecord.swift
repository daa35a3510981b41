import Foundation

/// Assignment rule rows, their agent lists and rotation cursors on the caller's connection.
/// Condition sets are stored as comma-separated raw values (no raw value holds a comma).
enum AssignmentRuleRecord {
    static let columns = """
        id, name, position, enabled, method, categories, priorities, channels, max_open_per_agent, created_at, updated_at
        """
    /// The agent-list key of a round-robin pool (category routes use the category's raw value).
    static let poolKey = ""

    /// Every rule in position order, with its agents.
    static func all(_ db: Connection) throws -> [AssignmentRule] {
        let rows = try db.query("SELECT \(columns) FROM assignment_rules ORDER BY position, id")
        return try rows.map { try rule($0, db) }
    }

    /// Rule `id` or `.notFound`.
    static func load(_ id: AssignmentRuleID, _ db: Connection) throws -> AssignmentRule {
        guard let row = try db.first("SELECT \(columns) FROM assignment_rules WHERE id = ?", [.integer(id.rawValue)]) else {
            throw DomainError.notFound("Assignment rule")
        }
        return try rule(row, db)
    }

    /// Inserts `rule` (its id is ignored) with its agents; returns it with the new id.
    static func insert(_ rule: AssignmentRule, _ db: Connection) throws -> AssignmentRule {
        let insertedID = try db.insert("""
            INSERT INTO assignment_rules (name, position, enabled, method, categories, priorities, channels,
                max_open_per_agent, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(rule.name), .int(rule.position), .bool(rule.enabled), .text(rule.method.name)]
                + conditionValues(rule.conditions) + [.optional(rule.maxOpenPerAgent.map(Int64.init)), .date(rule.createdAt),
                                                      .date(rule.updatedAt)])
        let id = AssignmentRuleID(insertedID)
        try storeAgents(rule.method, of: id, db)
        return try load(id, db)
    }

    /// Writes every field of `rule`; replaces its agents (and resets cursors) when the method changed.
    static func update(_ rule: AssignmentRule, methodChanged: Bool, _ db: Connection) throws {
        try db.run("""
            UPDATE assignment_rules SET name = ?, position = ?, enabled = ?, method = ?, categories = ?, priorities = ?,
                channels = ?, max_open_per_agent = ?, updated_at = ? WHERE id = ?
            """, [.text(rule.name), .int(rule.position), .bool(rule.enabled), .text(rule.method.name)]
                + conditionValues(rule.conditions)
                + [.optional(rule.maxOpenPerAgent.map(Int64.init)), .date(rule.updatedAt), .integer(rule.id.rawValue)])
        if methodChanged { try storeAgents(rule.method, of: rule.id, db) }
    }

    /// The agent each cursor of `rule` assigned last.
    static func cursors(of rule: AssignmentRuleID, _ db: Connection) throws -> [String: AgentID] {
        var result: [String: AgentID] = [:]
        for row in try db.query("SELECT category, last_agent_id FROM assignment_cursors WHERE rule_id = ?", [.integer(rule.rawValue)]) {
            result[row.text(0)] = AgentID(row.int64(1))
        }
        return result
    }

    /// The highest position of any rule (0 without rules).
    static func lastPosition(_ db: Connection) throws -> Int {
        Int(try db.first("SELECT max(position) FROM assignment_rules")?.optionalInt64(0) ?? 0)
    }

    /// Moves rule `id` to `position`.
    static func setPosition(_ id: AssignmentRuleID, _ position: Int, at: Date, _ db: Connection) throws {
        try db.run("UPDATE assignment_rules SET position = ?, updated_at = ? WHERE id = ?", [.int(position), .date(at), .integer(id.rawValue)])
    }

    /// Deletes rule `id` (its agent lists and cursors go with it).
    static func delete(_ id: AssignmentRuleID, _ db: Connection) throws {
        try db.run("DELETE FROM assignment_rules WHERE id = ?", [.integer(id.rawValue)])
    }

    /// The agents `ids` as the picker sees them, with their counts of tickets in an active
    /// status (the statuses are enum constants, written into the SQL).
    static func candidates(_ ids: Set<AgentID>, _ db: Connection) throws -> [AgentID: AssignmentPicker.Candidate] {
        guard !ids.isEmpty else { return [:] }
        let active = TicketStatus.allCases.filter(\.isActive).map { "'\($0.rawValue)'" }.joined(separator: ",")
        let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
        var result: [AgentID: AssignmentPicker.Candidate] = [:]
        for row in try db.query("""
            SELECT a.id, a.name, a.active, a.away,
                (SELECT count(*) FROM tickets t WHERE t.assignee_id = a.id AND t.status IN (\(active)))
            FROM agents a WHERE a.id IN (\(marks))
            """, ids.map { .integer($0.rawValue) }) {
            let id = AgentID(row.int64(0))
            result[id] = AssignmentPicker.Candidate(id: id, name: row.text(1), active: row.bool(2), away: row.bool(3),
                                                    openTickets: row.int(4))
        }
        return result
    }

    /// Moves cursor `key` of `rule` to `agent` (inside the ticket-creation transaction, so
    /// concurrent creations and restarts continue the same rotation).
    static func advance(_ rule: AssignmentRuleID, key: String, to agent: AgentID, _ db: Connection) throws {
        try db.run("""
            INSERT INTO assignment_cursors (rule_id, category, last_agent_id) VALUES (?, ?, ?)
            ON CONFLICT (rule_id, category) DO UPDATE SET last_agent_id = excluded.last_agent_id
            """, [.integer(rule.rawValue), .text(key), .integer(agent.rawValue)])
    }

    private static func storeAgents(_ method: AssignmentMethod, of id: AssignmentRuleID, _ db: Connection) throws {
        try db.run("DELETE FROM assignment_rule_agents WHERE rule_id = ?", [.integer(id.rawValue)])
        try db.run("DELETE FROM assignment_cursors WHERE rule_id = ?", [.integer(id.rawValue)])
        let lists: [(String, [AgentID])] = switch method {
        case .roundRobin(let pool): [(poolKey, pool)]
        case .categoryBased(let routes): routes.map { ($0.key.rawValue, $0.value) }
        }
        for (key, agents) in lists {
            for (position, agent) in agents.enumerated() {
                try db.run("INSERT INTO assignment_rule_agents (rule_id, category, agent_id, position) VALUES (?, ?, ?, ?)",
                           [.integer(id.rawValue), .text(key), .integer(agent.rawValue), .int(position)])
            }
        }
    }

    private static func rule(_ row: Row, _ db: Connection) throws -> AssignmentRule {
        let id = AssignmentRuleID(row.int64(0))
        var lists: [String: [AgentID]] = [:]
        for agent in try db.query("""
            SELECT category, agent_id FROM assignment_rule_agents WHERE rule_id = ? ORDER BY category, position
            """, [.integer(id.rawValue)]) {
            lists[agent.text(0), default: []].append(AgentID(agent.int64(1)))
        }
        let method: AssignmentMethod = if row.text(4) == "category_based" {
            .categoryBased(routes: Dictionary(uniqueKeysWithValues: lists.compactMap { key, agents in
                TicketCategory(rawValue: key).map { ($0, agents) }
            }))
        } else {
            .roundRobin(pool: lists[poolKey] ?? [])
        }
        return AssignmentRule(
            id: id, name: row.text(1), position: row.int(2), enabled: row.bool(3),
            conditions: AssignmentConditions(categories: set(row.text(5)), priorities: set(row.text(6)), channels: set(row.text(7))),
            method: method, maxOpenPerAgent: row.optionalInt64(8).map { Int($0) }, createdAt: row.date(9), updatedAt: row.date(10))
    }

    private static func conditionValues(_ conditions: AssignmentConditions) -> [SQLValue] {
        [.text(joined(conditions.categories)), .text(joined(conditions.priorities)), .text(joined(conditions.channels))]
    }

    private static func joined<T: RawRepresentable>(_ values: Set<T>) -> String where T.RawValue == String {
        values.map(\.rawValue).sorted().joined(separator: ",")
    }

    private static func set<T: RawRepresentable>(_ text: String) -> Set<T> where T.RawValue == String {
        Set(text.split(separator: ",").compactMap { T(rawValue: String($0)) })
    }
}
