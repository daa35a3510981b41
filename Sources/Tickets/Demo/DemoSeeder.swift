import Foundation

/// What the seeder created.
public struct DemoSummary: Sendable {
    public let agents: Int
    public let contacts: Int
    public let tickets: Int
    public let messages: Int
    /// Every demo agent signs in with this password.
    public let password: String
}

/// Seeds a realistic, deterministic data set in ONE transaction: 5 agents, 40 contacts and
/// `ticketCount` tickets across every status, priority, category and channel, created over
/// the 60 days before `now`, with threads that fit each status (`DemoTicket`: customer lines
/// from the requester, agent lines from the agent, nothing after `now`), tags, due dates,
/// SLA clocks replayed through each ticket's history under the default policy, answered
/// CSAT surveys on two thirds of the resolved tickets, canned responses and two
/// auto-assignment rules (one enabled), so every screen has something to show.
public struct DemoSeeder: Sendable {
    public static let password = "demo-password"
    let database: Database
    let hasher: PasswordHasher
    let now: Clock

    public init(database: Database, hasher: PasswordHasher = PasswordHasher(), now: @escaping Clock) {
        self.database = database
        self.hasher = hasher
        self.now = now
    }

    /// Seeds the data. Throws `.conflict` when the demo agents already exist.
    public func seed(seed: UInt64 = 42, ticketCount: Int = 300) async throws -> DemoSummary {
        let hash = hasher.hash(Self.password)
        let end = now()
        return try await database.write { db in
            var random = SeededGenerator(seed: seed)
            guard try !AgentRecord.exists(email: DemoData.agents[0].email, db) else {
                throw DomainError(.conflict, "Demo data is already present.")
            }
            let start = end.addingTimeInterval(-60 * 86_400)
            var agents: [AgentID] = []
            for (index, agent) in DemoData.agents.enumerated() {
                let role: RoleID = index == 0 ? .administrator : index == 1 ? .supervisor : .agent
                agents.append(try AgentRecord.insert(
                    Agent(id: AgentID(0), name: agent.name, email: agent.email, roleID: role, active: true, away: false, createdAt: start),
                    passwordHash: hash, db).id)
            }
            var contacts: [ContactID] = []
            for index in 0..<40 {
                let first = DemoData.firstNames[index % DemoData.firstNames.count]
                let last = DemoData.lastNames[(index * 7) % DemoData.lastNames.count]
                let email = "\(first).\(last)\(index)@\(DemoData.domains[index % DemoData.domains.count])".lowercased()
                contacts.append(try ContactStore.findOrCreate(name: "\(first) \(last)", email: email, at: start, db).0.id)
            }
            var messages = 0
            let policy = try SLAPolicyRecord.defaultPolicy(db)
            // Creation times spread over the 60 days, the newest ten minutes before now.
            let span = end.timeIntervalSince(start) - 600
            for index in 0..<ticketCount {
                let created = start.addingTimeInterval(Double(index) / Double(max(ticketCount, 1)) * span
                    + Double.random(in: 0..<min(3600, span / Double(max(ticketCount, 1))), using: &random))
                let (ticket, written) = try DemoTicket(index: index, created: created, now: end, agents: agents,
                                                       contacts: contacts, policy: policy).insert(using: &random, db)
                messages += written
                try Self.survey(for: ticket, now: end, using: &random, db)
            }
            try Self.cannedResponses(by: agents[0], at: start, db)
            try Self.assignmentRules(agents, at: start, db)
            return DemoSummary(agents: agents.count, contacts: contacts.count, tickets: ticketCount,
                               messages: messages, password: Self.password)
        }
    }
}

extension DemoSeeder {
    /// An answered CSAT survey for two thirds of the resolved and closed tickets, answered a
    /// few hours after the resolution (never after `now`); mostly good ratings.
    static func survey(for ticket: Ticket, now: Date, using random: inout SeededGenerator, _ db: Connection) throws {
        guard let resolved = ticket.resolvedAt, ticket.id.rawValue % 3 != 0 else { return }
        let answered = min(resolved.addingTimeInterval(Double.random(in: 600...(8 * 3600), using: &random)), now)
        let rating = [5, 5, 5, 4, 4, 3, 2, 5, 4, 1][Int.random(in: 0..<10, using: &random)]
        let comment: String? = rating >= 4 ? "Quick and friendly help, thank you." : rating <= 2 ? "It took too long to get an answer." : nil
        let token = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        try SurveyRecord.insertAnswered(
            ticket: ticket.id, resolvedBy: ticket.assigneeID, nonce: nonce, tokenHash: token, createdAt: resolved,
            expiresAt: resolved.addingTimeInterval(7 * 86_400), rating: rating, comment: comment, answeredAt: answered,
            question: "How satisfied are you with the help you received?", db)
    }

    /// The canned responses of `DemoData`, created by the administrator.
    static func cannedResponses(by agent: AgentID, at: Date, _ db: Connection) throws {
        for item in DemoData.cannedResponses {
            _ = try CannedRecord.insert(CannedResponse(id: CannedResponseID(0), title: item.title, body: item.body,
                                                       category: item.category, createdBy: agent, createdAt: at, updatedAt: at), db)
        }
    }

    /// Billing and account tickets routed by category (enabled), and a rotation among the
    /// agents for everything else, shown disabled: new tickets stay unassigned unless they
    /// are about billing or an account, so a new team sees both states of a rule.
    static func assignmentRules(_ agents: [AgentID], at: Date, _ db: Connection) throws {
        let rules = [
            AssignmentRule(id: AssignmentRuleID(0), name: "Billing and account questions", position: 1, enabled: true,
                           conditions: AssignmentConditions(categories: [.billing, .account]),
                           method: .categoryBased(routes: [.billing: [agents[1], agents[2]], .account: [agents[3]]]),
                           maxOpenPerAgent: nil, createdAt: at, updatedAt: at),
            AssignmentRule(id: AssignmentRuleID(0), name: "Everything else, in turn", position: 2, enabled: false,
                           conditions: AssignmentConditions(), method: .roundRobin(pool: Array(agents.dropFirst())),
                           maxOpenPerAgent: 25, createdAt: at, updatedAt: at),
        ]
        for rule in rules { _ = try AssignmentRuleRecord.insert(rule, db) }
    }
}
