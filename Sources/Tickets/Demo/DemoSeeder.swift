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
/// `ticketCount` tickets across every status, priority, category and channel, with replies,
/// notes, tags and due dates, created over the 60 days before `now`.
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
            guard try db.first("SELECT 1 FROM agents WHERE email = ?", [.text(DemoData.agents[0].email)]) == nil else {
                throw DomainError(.conflict, "Demo data is already present.")
            }
            let start = end.addingTimeInterval(-60 * 86_400)
            var agents: [AgentID] = []
            for (index, agent) in DemoData.agents.enumerated() {
                let role: RoleID = index == 0 ? .administrator : index == 1 ? .supervisor : .agent
                try db.run("INSERT INTO agents (name, email, password_hash, role_id, created_at) VALUES (?, ?, ?, ?, ?)",
                           [.text(agent.name), .text(agent.email), .text(hash), .integer(role.rawValue), .date(start)])
                agents.append(AgentID(db.lastInsertRowID))
            }
            var contacts: [ContactID] = []
            for index in 0..<40 {
                let first = DemoData.firstNames[index % DemoData.firstNames.count]
                let last = DemoData.lastNames[(index * 7) % DemoData.lastNames.count]
                let email = "\(first).\(last)\(index)@\(DemoData.domains[index % DemoData.domains.count])".lowercased()
                contacts.append(try ContactStore.findOrCreate(name: "\(first) \(last)", email: email, at: start, db).0.id)
            }
            var messages = 0
            // Ratings draw from a generator of their own, so the tickets stay what they were.
            var ratings = SeededGenerator(seed: seed &+ 1)
            for index in 0..<ticketCount {
                let created = start.addingTimeInterval(Double(index) / Double(max(ticketCount, 1)) * 59 * 86_400
                    + Double.random(in: 0..<3600, using: &random))
                let (ticket, count) = try DemoTicket(index: index, created: created, agents: agents, contacts: contacts)
                    .insert(using: &random, db)
                messages += count
                try Self.rate(ticket, now: end, using: &ratings, db)
            }
            return DemoSummary(agents: agents.count, contacts: contacts.count, tickets: ticketCount,
                               messages: messages, password: Self.password)
        }
    }
}

extension DemoSeeder {
    /// Answers a survey for about half the resolved demo tickets, an hour after the
    /// resolution (mostly 4 and 5 stars, as real help desks see), so the CSAT report has
    /// figures. The survey's token is random and never given out: it opens nothing.
    static func rate(_ ticket: Ticket, now: Date, using random: inout SeededGenerator, _ db: Connection) throws {
        guard let resolved = ticket.resolvedAt, Bool.random(using: &random) else { return }
        let answered = resolved.addingTimeInterval(3600)
        guard answered <= now else { return }
        let rating = [1, 2, 3, 4, 4, 5, 5, 5][Int.random(in: 0..<8, using: &random)]
        try db.run("""
            INSERT INTO csat_surveys (ticket_id, token_hash, nonce, status, resolved_by_agent_id, created_at, expires_at, rating,
                answered_at, question)
            SELECT ?, ?, ?, 'answered', ?, ?, ?, ?, ?, question FROM survey_settings WHERE id = 1
            """, [.integer(ticket.id.rawValue), .blob(Crypto.randomBytes(32)), .blob(Crypto.randomBytes(16)),
                  .optional(ticket.assigneeID?.rawValue), .date(resolved), .date(resolved.addingTimeInterval(7 * 86_400)),
                  .int(rating), .date(answered)])
    }
}

/// One generated demo ticket with its thread.
struct DemoTicket {
    let index: Int
    let created: Date
    let agents: [AgentID]
    let contacts: [ContactID]

    /// Inserts the ticket, its messages and its creation audit entry; returns the ticket and
    /// its message count.
    func insert(using random: inout SeededGenerator, _ db: Connection) throws -> (Ticket, Int) {
        // Cycling by index guarantees every value appears; the generator varies the rest.
        let status = TicketStatus.allCases[index % TicketStatus.allCases.count]
        let topic = DemoData.topics[Int.random(in: 0..<DemoData.topics.count, using: &random)]
        let assignee: AgentID? = index % 7 == 0 ? nil : agents[Int.random(in: 0..<agents.count, using: &random)]
        var updated = created.addingTimeInterval(Double.random(in: 600...(3 * 86_400), using: &random))
        var ticket = Ticket(
            id: TicketID(0), number: try TicketRecord.nextNumber(db), subject: topic.subject, description: topic.description,
            status: status, priority: TicketPriority.allCases[(index / 6) % 4], category: topic.category,
            channel: TicketChannel.allCases[index % TicketChannel.allCases.count],
            dueAt: index % 3 == 0 ? nil : created.addingTimeInterval(Double(Int.random(in: 1...14, using: &random)) * 86_400),
            requesterID: contacts[Int.random(in: 0..<contacts.count, using: &random)], assigneeID: assignee,
            tags: Array(DemoData.tags.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random))).sorted(),
            createdAt: created, updatedAt: updated, firstResponseAt: nil, resolvedAt: nil, closedAt: nil, version: 1)
        let replies = Int.random(in: 0...4, using: &random)
        updated = max(updated, created.addingTimeInterval(Double(replies) * 3600))
        ticket.updatedAt = updated
        TicketRules.stampStatus(&ticket, now: updated)
        if replies > 0, let agent = assignee ?? agents.first {
            // The first message is always the agent's public reply, an hour after creation.
            ticket.firstResponseAt = created.addingTimeInterval(3600)
            ticket = try TicketRecord.insert(ticket, db)
            for reply in 0..<replies {
                let at = created.addingTimeInterval(Double(reply + 1) * 3600)
                let author: MessageAuthor = reply % 2 == 0 ? .agent(agent) : .requester(ticket.requesterID)
                let kind: MessageKind = reply == 2 ? .note : .reply
                let body = kind == .note ? DemoData.notes[reply % DemoData.notes.count] : DemoData.replies[(index + reply) % DemoData.replies.count]
                _ = try MessageRecord.insert(ticket: ticket.id, kind: kind, author: kind == .note ? .agent(agent) : author,
                                             body: body, attachments: [], at: at, db)
            }
        } else {
            ticket = try TicketRecord.insert(ticket, db)
        }
        try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .ticketCreated, before: nil,
                            after: TicketService.auditValues(ticket), at: created)
        return (ticket, replies)
    }
}
