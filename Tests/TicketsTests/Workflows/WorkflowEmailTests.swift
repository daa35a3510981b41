import Foundation
import Testing
@testable import Tickets

/// The email workflows: "Email to ticket" and a pattern rule deciding about new email, the
/// auto-responder's acknowledgment queued once, and the loop rules it honours.
@Suite("WorkflowEmail")
struct WorkflowEmailTests {
    private func mail(_ id: String, from: String = "ann@customer.test", subject: String = "Hello") -> InboundEmail {
        var m = InboundEmail(fromAddress: from, subject: subject, text: "Text of \(id)")
        m.messageID = id
        return m
    }

    @Test("without an email workflow the default rule files new email as tickets; with one, the workflows decide")
    func defaultRuleUntilAWorkflowCovers() async throws {
        let desk = try WorkflowDesk()
        guard case .newTicket = try await desk.fixture.tickets.ingestEmail(mail("d1@c.test"), tokenKey: desk.key).value else {
            Issue.record("the default rule did not file the email"); return
        }
        _ = try await desk.workflows.createFromTemplate("email-to-ticket", enabled: true, by: .system)
        guard case .received = try await desk.fixture.tickets.ingestEmail(mail("d2@c.test"), tokenKey: desk.key).value else {
            Issue.record("the email was not kept for the workflows"); return
        }
    }

    @Test("a subject pattern categorises the ticket made of an email; Email to ticket takes the rest; each email is one ticket")
    func patternRule() async throws {
        let desk = try WorkflowDesk()
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "Invoices", enabled: true, trigger: WorkflowTrigger(kind: .emailReceived),
            conditions: ConditionGroup(conditions: [condition("email.subject", .matches, "\\binvoices?\\b")]),
            actions: [action(.createTicket) { $0.category = .billing; $0.tags = ["invoice"] }]), by: .system)
        _ = try await desk.workflows.create(WorkflowDraft(
            name: "Big customer", enabled: true, trigger: WorkflowTrigger(kind: .emailReceived),
            conditions: ConditionGroup(conditions: [condition("email.from", .endsWith, "@bigcustomer.com")]),
            actions: [action(.createTicket) { $0.priority = .high }]), by: .system)
        _ = try await desk.workflows.createFromTemplate("email-to-ticket", enabled: true, by: .system)
        _ = try await desk.fixture.tickets.ingestEmail(mail("p1@c.test", subject: "Your Invoice is wrong"), tokenKey: desk.key)
        _ = try await desk.fixture.tickets.ingestEmail(mail("p2@c.test", from: "ceo@BigCustomer.com", subject: "Call me"), tokenKey: desk.key)
        _ = try await desk.fixture.tickets.ingestEmail(mail("p3@c.test", subject: "Question"), tokenKey: desk.key)
        try await desk.pump()
        try await desk.replayAll()
        let tickets = try await desk.fixture.database.read { db in try db.query("SELECT id FROM tickets ORDER BY id").map { TicketID($0.int64(0)) } }
        #expect(tickets.count == 3)
        var seen: [(String, TicketCategory, TicketPriority, [String], TicketChannel)] = []
        for id in tickets {
            let t = try await desk.fixture.tickets.ticket(id, for: .system)
            seen.append((t.subject, t.category, t.priority, t.tags, t.channel))
        }
        #expect(seen.map(\.0) == ["Your Invoice is wrong", "Call me", "Question"])
        #expect(seen.map(\.1) == [.billing, .general, .general])
        #expect(seen.map(\.2) == [.medium, .high, .medium])
        #expect(seen[0].3 == ["invoice"] && seen.allSatisfy { $0.4 == .email })
        let skipped = try await desk.runs().filter { $0.actions.contains { $0.status == .skipped } }
        #expect(skipped.count == 2)  // "Email to ticket" found the first two already filed
        // The ticket threads: the requester's answer to the original email joins it.
        var answer = mail("p4@c.test", subject: "Re: Question")
        answer.answers = ["p3@c.test"]
        #expect(try await desk.fixture.tickets.ingestEmail(answer, tokenKey: desk.key).value == .reply(tickets[2]))
    }

    @Test("the auto-responder queues one acknowledgment with the signed reference, even when events are replayed")
    func autoResponder() async throws {
        let desk = try WorkflowDesk()
        try await desk.addMailbox("support@desk.test")
        _ = try await desk.workflows.createFromTemplate("auto-responder", enabled: true, by: .system)
        guard case .newTicket(let id) = try await desk.fixture.tickets.ingestEmail(mail("a1@c.test"), tokenKey: desk.key).value else { return }
        try await desk.pump()
        try await desk.replayAll()
        let out = try await desk.takeOutbox()
        let reference = try await desk.fixture.tickets.ticket(id, for: .system).reference
        #expect(out.count == 1)
        let ack = try #require(out.first)
        #expect(ack.toAddress == "ann@customer.test" && ack.automatic == true && ack.inReplyTo == "a1@c.test")
        #expect(SubjectToken.reference(in: ack.subject, key: desk.key) == reference)
        #expect(ack.body.contains(reference))
        // A web ticket gets none: the template's condition is channel = email.
        _ = try await desk.fixture.ticket("From the web form")
        try await desk.pump()
        #expect(try await desk.takeOutbox().isEmpty)
    }

    @Test("no acknowledgment answers mail marked automatic (RFC 3834); the run says why")
    func suppression() async throws {
        let desk = try WorkflowDesk()
        try await desk.addMailbox("support@desk.test")
        _ = try await desk.workflows.createFromTemplate("auto-responder", enabled: true, by: .system)
        var auto = mail("s1@c.test", from: "robot@other.test")
        auto.autoReplySuppression = "Auto-Submitted: auto-replied"
        _ = try await desk.fixture.tickets.ingestEmail(auto, tokenKey: desk.key)
        try await desk.pump()
        #expect(try await desk.takeOutbox().isEmpty)
        let run = try #require(try await desk.runs().first)
        #expect(run.actions.first?.status == .skipped && run.actions.first?.detail.contains("Auto-Submitted") == true)
    }

    /// Delivers `email` from `sender` to `desk` as a new message; `honourHeaders` false strips
    /// what a careless relay or a naive responder would lose (Auto-Submitted, threading, and
    /// the signed reference in the subject, which would otherwise thread the answer).
    private func deliver(_ email: OutboxEmail, from sender: String, to desk: WorkflowDesk, honourHeaders: Bool) async throws {
        let subject = honourHeaders ? email.subject : "Automatic answer \(email.messageID)"
        var incoming = InboundEmail(fromAddress: sender, subject: subject, text: email.body)
        incoming.messageID = email.messageID
        if honourHeaders {
            incoming.answers = (email.inReplyTo.map { [$0] } ?? []) + email.references.reversed()
            incoming.autoReplySuppression = email.automatic == true ? "Auto-Submitted: auto-replied" : nil
        }
        _ = try await desk.fixture.tickets.ingestEmail(incoming, tokenKey: desk.key)
    }

    private func twoDesks(honourHeaders: Bool) async throws -> (sentByA: Int, sentByB: Int, ticketsAtA: Int) {
        let a = try WorkflowDesk(keyByte: 1), b = try WorkflowDesk(keyByte: 2)
        try await a.addMailbox("support@a.test")
        try await b.addMailbox("support@b.test")
        for desk in [a, b] { _ = try await desk.workflows.createFromTemplate("auto-responder", enabled: true, by: .system) }
        _ = try await a.fixture.tickets.ingestEmail(mail("start@b.test", from: "support@b.test", subject: "Hello A"), tokenKey: a.key)
        var sentByA = 0, sentByB = 0
        for _ in 0..<40 {
            try await a.pump()
            let fromA = try await a.takeOutbox()
            sentByA += fromA.count
            for email in fromA { try await deliver(email, from: "support@a.test", to: b, honourHeaders: honourHeaders) }
            try await b.pump()
            let fromB = try await b.takeOutbox()
            sentByB += fromB.count
            for email in fromB { try await deliver(email, from: "support@b.test", to: a, honourHeaders: honourHeaders) }
            if fromA.isEmpty && fromB.isEmpty { break }
        }
        let tickets = try await a.fixture.database.read { db in try db.first("SELECT count(*) FROM tickets")?.int(0) ?? 0 }
        return (sentByA, sentByB, tickets)
    }

    @Test("two help desks auto-replying to each other: with Auto-Submitted honoured the second never answers")
    func twoDesksHonouringHeaders() async throws {
        let result = try await twoDesks(honourHeaders: true)
        #expect(result.sentByA == 1 && result.sentByB == 0)
    }

    @Test("two help desks auto-replying to each other with every loop header lost stop at 10 automatic emails each in 3 hours")
    func twoDesksStopAtTheCap() async throws {
        let result = try await twoDesks(honourHeaders: false)
        #expect(result.sentByA == AutomaticEmailCap.maxPerRecipient && result.sentByB == AutomaticEmailCap.maxPerRecipient)
        #expect(result.ticketsAtA == AutomaticEmailCap.maxPerRecipient + 1)
    }
}
