import Foundation

/// One generated demo ticket with a thread that fits its status: the customer writes the
/// customer's lines and the agent the agent's (`DemoData.Topic`), every moment lies between
/// its creation and `now`, and its SLA clock is replayed through the same history.
struct DemoTicket {
    /// One moment of the ticket's history.
    enum Step: Equatable {
        case agent(Int), customer(Int), note, hold
    }

    let index: Int
    let created: Date
    let now: Date
    let agents: [AgentID]
    let contacts: [ContactID]
    let policy: SLAPolicy?

    /// What happened to a ticket that ends in `status`, in order. The status changes at the
    /// agent's first reply (Pending, In Progress), the hold note (On Hold), the fix
    /// (Resolved), or after the customer's confirmation (Closed).
    static func steps(for status: TicketStatus, index: Int) -> [Step] {
        switch status {
        case .open: index % 2 == 0 ? [] : [.agent(0), .customer(0)]
        case .pending: [.agent(0)]
        case .inProgress: [.agent(0), .customer(0), .note]
        case .onHold: [.agent(0), .customer(0), .hold]
        case .resolved: [.agent(0), .customer(0), .note, .agent(1)]
        case .closed: [.agent(0), .customer(0), .agent(1), .customer(1)]
        }
    }

    /// Inserts the ticket, its thread, its audit entries and its SLA state; returns the
    /// ticket and the number of messages written.
    func insert(using random: inout SeededGenerator, _ db: Connection) throws -> (Ticket, Int) {
        // Cycling by index guarantees every value appears; the generator varies the rest.
        let status = TicketStatus.allCases[index % TicketStatus.allCases.count]
        let topic = DemoData.topics[Int.random(in: 0..<DemoData.topics.count, using: &random)]
        let steps = Self.steps(for: status, index: index)
        let assignee: AgentID? = steps.isEmpty && index % 4 == 1 ? nil : agents[Int.random(in: 0..<agents.count, using: &random)]
        let agent = assignee ?? agents[0]
        let times = stepTimes(steps, status: status, using: &random)
        let statusAt = status == .open ? created : times.status
        var ticket = Ticket(
            id: TicketID(0), number: try TicketRecord.nextNumber(db), subject: topic.subject, description: topic.description,
            status: status, priority: TicketPriority.allCases[(index / 6) % 4], category: topic.category,
            channel: TicketChannel.allCases[index % TicketChannel.allCases.count],
            dueAt: index % 3 == 0 ? nil : created.addingTimeInterval(Double(Int.random(in: 1...14, using: &random)) * 86_400),
            requesterID: contacts[Int.random(in: 0..<contacts.count, using: &random)], assigneeID: assignee,
            tags: Array(DemoData.tags.shuffled(using: &random).prefix(Int.random(in: 0...2, using: &random))).sorted(),
            createdAt: created, updatedAt: max(times.steps.last ?? created, statusAt), firstResponseAt: nil,
            resolvedAt: nil, closedAt: nil, version: status == .open ? 1 : 2)
        if let first = steps.firstIndex(of: .agent(0)) { ticket.firstResponseAt = times.steps[first] }
        TicketRules.stampStatus(&ticket, now: statusAt)
        ticket = try TicketRecord.insert(ticket, db)
        try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .ticketCreated, before: nil,
                            after: TicketService.auditValues(ticket), at: created)
        var written = 0
        for (step, at) in zip(steps, times.steps) {
            let (kind, author, body): (MessageKind, MessageAuthor, String) = switch step {
            case .agent(let line): (.reply, .agent(agent), topic.agent[line])
            case .customer(let line): (.reply, .requester(ticket.requesterID), topic.customer[line])
            case .note: (.note, .agent(agent), topic.note)
            case .hold: (.note, .agent(agent), DemoData.holdNote)
            }
            _ = try MessageRecord.insert(ticket: ticket.id, kind: kind, author: author, body: body, attachments: [], at: at, db)
            written += 1
        }
        if status != .open {
            _ = try MessageRecord.insert(ticket: ticket.id, kind: .system, author: .system,
                                         body: "Status changed from Open to \(status.displayName).", attachments: [], at: statusAt, db)
            try AuditLog.record(db, ticket: ticket.id, actor: .agent(try principal(agent, db)), action: .statusChanged,
                                before: ["status": .string(TicketStatus.open.rawValue)],
                                after: ["status": .string(status.rawValue)], at: statusAt)
            written += 1
        }
        try replaySLA(ticket, steps: zip(steps, times.steps).map { ($0, $1) }, statusAt: statusAt, db)
        return (ticket, written)
    }

    /// When each step happened and when the status changed: agents answer within hours,
    /// customers within a day; a history that would reach past `now` is compressed to end a
    /// minute before it.
    private func stepTimes(_ steps: [Step], status: TicketStatus, using random: inout SeededGenerator)
        -> (steps: [Date], status: Date) {
        var offsets: [TimeInterval] = []
        var elapsed: TimeInterval = 0
        for step in steps {
            let gap: TimeInterval = switch step {
            case .agent: Double.random(in: 900...(6 * 3600), using: &random)
            case .customer: Double.random(in: 3600...(20 * 3600), using: &random)
            case .note, .hold: Double.random(in: 300...(2 * 3600), using: &random)
            }
            elapsed += gap
            offsets.append(elapsed)
        }
        var statusOffset: TimeInterval = switch status {
        case .open: 0
        case .pending, .inProgress: offsets.first ?? 0
        case .onHold, .resolved: offsets.last ?? 0
        case .closed: elapsed + Double.random(in: 3600...(24 * 3600), using: &random)
        }
        let room = max(now.timeIntervalSince(created) - 60, 0)
        let span = max(elapsed, statusOffset)
        let scale = span > room && span > 0 ? room / span : 1
        statusOffset *= scale
        return (offsets.map { created.addingTimeInterval($0 * scale) }, created.addingTimeInterval(statusOffset))
    }

    /// The ticket's SLA clock under the default policy, driven through its history and
    /// brought up to `now`, as the server would have kept it.
    private func replaySLA(_ ticket: Ticket, steps: [(Step, Date)], statusAt: Date, _ db: Connection) throws {
        guard let policy else { return }
        var clock = SLAClock(policy: policy, status: .open, priority: ticket.priority, at: created)
        var events: [(Date, Int, SLAClockEvent)] = steps.compactMap { step, at in
            switch step {
            case .agent: (at, 0, .agentReplied)
            case .customer: (at, 0, .customerReplied)
            case .note, .hold: nil
            }
        }
        if ticket.status != .open { events.append((statusAt, 1, .statusChanged(ticket.status))) }
        // A reply and a status change at the same moment: the reply first, as a reply-and-set would.
        for (at, _, event) in events.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) {
            _ = clock.event(event, at: at, policy: policy)
        }
        _ = clock.event(.tick, at: now, policy: policy)
        _ = try SLAStateRecord.save(clock, for: ticket.id, policy: policy, at: now, db)
    }

    /// The agent as an audit actor (the audit log keeps only who it was, not the permissions).
    private func principal(_ agent: AgentID, _ db: Connection) throws -> Principal {
        guard let found = try AgentRecord.find(agent, db) else { throw DomainError.notFound("Agent") }
        return Principal(agent: found, permissions: [])
    }
}
