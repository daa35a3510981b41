import Foundation
import Tickets

/// The `generate` command: a fresh database (SQLite or PostgreSQL) with `tickets` tickets and
/// exactly `messages` messages spread over the two years before `end`, through `BulkLoader`.
/// The same seed gives the same rows on both databases.
///
/// Shape (realistic for a help desk, documented in benchmarks/TICKETS.md): tickets older than
/// 30 days are mostly Closed or Resolved; priorities 5 % Urgent, 20 % High, 50 % Medium,
/// 25 % Low; channels weighted towards email; requesters and tags drawn Zipf-like; 5 % of
/// tickets unassigned (30 % of active ones); 60 % with a due date.
struct Generator {
    let location: Database.Location
    let tickets: Int
    let messages: Int
    let seed: UInt64
    let end = Date(timeIntervalSince1970: 1_767_225_600) // 2026-01-01, fixed so runs repeat
    static let agentCount = 50
    static let contactCount = 20_000
    static let tags = ["vip", "billing-issue", "refund", "bug", "outage", "mobile", "onboarding", "sso", "api",
                       "invoice", "churn-risk", "feature", "escalated", "enterprise", "trial", "gdpr", "hardware",
                       "shipping", "password", "integration", "slow", "security", "migration", "training",
                       "partner", "reseller", "legal", "beta", "accessibility", "l10n"]

    func run() throws {
        let started = nowMillis()
        var random = SeededGenerator(seed: seed)
        let text = TextGenerator()
        let loader = try BulkLoader(location: location)
        let start = end.addingTimeInterval(-2 * 365 * 86_400)
        let hash = PasswordHasher(iterations: 1_000).hash("benchmark-password")
        var agents: [AgentID] = []
        for index in 0..<Self.agentCount {
            let role: RoleID = index == 0 ? .administrator : index < 5 ? .supervisor : .agent
            agents.append(try loader.addAgent(name: "Agent \(index + 1)", email: "agent\(index + 1)@bench.example",
                                              passwordHash: hash, role: role, at: start))
        }
        var contacts: [ContactID] = []
        for index in 0..<Self.contactCount {
            contacts.append(try loader.addContact(name: "Contact \(index + 1)", email: "contact\(index + 1)@customer\(index % 500).example",
                                                  at: start))
        }
        try loader.commit()
        let span = end.timeIntervalSince(start)
        var written = 0, pairFirst = 0
        for index in 0..<tickets {
            let created = start.addingTimeInterval(span * Double(index) / Double(tickets) + Double.random(in: 0..<30, using: &random))
            // Pairs of tickets share 2 * average messages, so the total is exact.
            let average = messages / tickets
            let swing = Int.random(in: 0...min(average, 4), using: &random)
            var count = index % 2 == 0 ? average + swing : 2 * average - pairFirst
            if index == tickets - 1 { count = messages - written }
            if index % 2 == 0 { pairFirst = count }
            written += try ticket(index, created: created, messages: max(count, 0), agents: agents, contacts: contacts,
                                  text: text, loader: loader, &random)
            if (index + 1) % 20_000 == 0 {
                try loader.commit()
                let seconds = (nowMillis() - started) / 1000
                say(String(format: "  %7d tickets, %8d messages  %.0f s", index + 1, written, seconds))
            }
        }
        try loader.commit()
        say("indexes, full-text rebuild and statistics...")
        try loader.finish { step in say(String(format: "  %.0f s  %@", (nowMillis() - started) / 1000, step)) }
        say(String(format: "done: %d tickets, %d messages in %.0f s", tickets, written, (nowMillis() - started) / 1000))
    }

    /// Writes one ticket with `messages` messages; returns `messages`.
    private func ticket(_ index: Int, created: Date, messages: Int, agents: [AgentID], contacts: [ContactID],
                        text: TextGenerator, loader: BulkLoader, _ random: inout SeededGenerator) throws -> Int {
        let age = end.timeIntervalSince(created) / 86_400
        let status = Self.status(age: age, &random)
        let assignee: AgentID? = Double.random(in: 0..<1, using: &random) < (status.isActive ? 0.3 : 0.02)
            ? nil : agents[Int.random(in: 0..<agents.count, using: &random)]
        var draft = NewTicket(subject: text.sentence(Int.random(in: 4...8, using: &random), &random),
                              description: text.sentence(Int.random(in: 12...36, using: &random), &random),
                              requester: .contact(contacts[0]))
        draft.status = status
        draft.priority = Self.pick([(.urgent, 5), (.high, 20), (.medium, 50), (.low, 25)], &random)
        draft.category = TicketCategory.allCases[Int.random(in: 0..<TicketCategory.allCases.count, using: &random)]
        draft.channel = Self.pick([(.email, 45), (.web, 25), (.chat, 15), (.phone, 10), (.internal, 5)], &random)
        draft.assigneeID = assignee
        draft.dueAt = Double.random(in: 0..<1, using: &random) < 0.6
            ? created.addingTimeInterval(Double(Int.random(in: 1...14, using: &random)) * 86_400) : nil
        let tagCount = Self.pick([(0, 40), (1, 35), (2, 18), (3, 7)], &random)
        draft.tags = Array(Set((0..<tagCount).map { _ in Self.tags[Self.zipfIndex(Self.tags.count, &random)] })).sorted()
        let requester = contacts[Self.zipfIndex(contacts.count, &random)]
        let lastActivity = created.addingTimeInterval(Double(messages) * Double.random(in: 600...14_400, using: &random))
        let updated = min(end, lastActivity.addingTimeInterval(Double.random(in: 60...86_400, using: &random)))
        let id = try loader.addTicket(draft, requester: requester, createdAt: created, updatedAt: max(updated, created),
                                      firstResponseAt: messages > 0 ? created.addingTimeInterval(600) : nil)
        for position in 0..<messages {
            let at = min(end, created.addingTimeInterval(Double(position + 1) * 3_600))
            let fromAgent = position % 2 == 0
            let kind: MessageKind = position % 5 == 3 ? .note : .reply
            let author: MessageAuthor = fromAgent || kind == .note
                ? .agent(assignee ?? agents[index % agents.count]) : .requester(requester)
            try loader.addMessage(to: id, kind: kind, author: author,
                                  body: text.sentence(Int.random(in: 6...20, using: &random), &random), at: at)
        }
        return messages
    }

    /// Old tickets are mostly done; recent ones spread over every status.
    static func status(age: Double, _ random: inout SeededGenerator) -> TicketStatus {
        if age > 30 {
            return pick([(.closed, 85), (.resolved, 12), (.open, 1), (.pending, 1), (.inProgress, 0.5), (.onHold, 0.5)], &random)
        }
        return pick([(.open, 30), (.pending, 15), (.inProgress, 20), (.onHold, 5), (.resolved, 20), (.closed, 10)], &random)
    }

    static func pick<T>(_ weighted: [(T, Double)], _ random: inout SeededGenerator) -> T {
        var target = Double.random(in: 0..<weighted.reduce(0) { $0 + $1.1 }, using: &random)
        for (value, weight) in weighted {
            if target < weight { return value }
            target -= weight
        }
        return weighted[weighted.count - 1].0
    }

    /// An index in 0..<count, lower indexes more likely (roughly 1/rank).
    static func zipfIndex(_ count: Int, _ random: inout SeededGenerator) -> Int {
        let u = Double.random(in: 0..<1, using: &random)
        return min(count - 1, Int(exp(u * log(Double(count) + 1))) - 1)
    }
}
