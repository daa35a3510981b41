import Foundation
import Testing
@testable import Tickets

/// Email in (`TicketService.ingestEmail`) and out (`EmailOutboxConsumer`), in process on a
/// fresh database: threading, signed tokens, strangers, duplicates, and the outbox's
/// exactly-once queueing under replay.
@Suite("EmailChannel")
struct EmailChannelTests {
    private let key = CredentialKey(bytes: Array(repeating: 3, count: 32))

    private func mail(_ id: String, from: String = "ann@customer.test", subject: String = "Help", answers: [String] = []) -> InboundEmail {
        var m = InboundEmail(fromAddress: from, subject: subject, text: "Text of \(id)")
        m.messageID = id
        m.answers = answers
        return m
    }

    private func addMailbox(_ fixture: Fixture) async throws -> Mailbox {
        var d = MailboxDraft()
        d.name = "support"; d.address = "support@desk.example.test"
        d.imap.host = "imap.test"; d.imap.port = 993; d.imap.security = .tls; d.imap.username = "u"; d.imap.password = "p"
        d.smtp.host = "smtp.test"; d.smtp.port = 587; d.smtp.security = .starttls; d.smtp.username = "u"; d.smtp.password = "p"
        return try await MailboxService(database: fixture.database, key: key, now: fixture.clock.clock).create(d, by: .system)
    }

    @Test("a new email starts an email-channel ticket; its answer joins it; the same email again changes nothing")
    func threading() async throws {
        let fixture = try Fixture()
        let first = try await fixture.tickets.ingestEmail(mail("a1@c.test"), tokenKey: key)
        guard case .newTicket(let id) = first.value else { Issue.record("expected a new ticket"); return }
        #expect(try await fixture.tickets.ticket(id, for: .system).channel == .email)
        #expect(first.events.contains { if case .ticketCreated = $0 { true } else { false } })
        let answer = try await fixture.tickets.ingestEmail(mail("a2@c.test", answers: ["a1@c.test"]), tokenKey: key)
        #expect(answer.value == .reply(id))
        #expect(try await fixture.tickets.ingestEmail(mail("a2@c.test", answers: ["a1@c.test"]), tokenKey: key).value == .duplicate)
        let replies = try await fixture.tickets.thread(of: id, for: .system).filter { $0.kind == .reply }
        #expect(replies.count == 1)
    }

    @Test("only a correctly signed subject token attaches mail to a ticket; a stranger's mail is a note")
    func tokensAndStrangers() async throws {
        let fixture = try Fixture()
        guard case .newTicket(let id) = try await fixture.tickets.ingestEmail(mail("t1@c.test"), tokenKey: key).value else { return }
        let reference = try await fixture.tickets.ticket(id, for: .system).reference
        let token = SubjectToken.make(reference, key: key)
        #expect(SubjectToken.reference(in: "Re: x \(token)", key: key) == reference)
        #expect(SubjectToken.reference(in: "Re: x [\(reference)]", key: key) == nil)
        #expect(SubjectToken.reference(in: "Re: x \(token)", key: CredentialKey(bytes: Array(repeating: 4, count: 32))) == nil)
        #expect(try await fixture.tickets.ingestEmail(mail("t2@c.test", subject: "Re: \(token)"), tokenKey: key).value == .reply(id))
        let stranger = try await fixture.tickets.ingestEmail(mail("t3@c.test", from: "eve@x.test", answers: ["t1@c.test"]), tokenKey: key)
        #expect(stranger.value == .strangerNote(id))
        let note = try await fixture.tickets.thread(of: id, for: .system).last
        #expect(note?.kind == .note && note?.body.contains("eve@x.test") == true)
    }

    @Test("the mailbox cursor moves in the email's transaction and never backwards")
    func cursor() async throws {
        let fixture = try Fixture()
        let mailbox = try await addMailbox(fixture)
        var m = mail("c1@c.test")
        m.mailbox = mailbox.id
        m.cursor = InboundEmail.Cursor(uidValidity: 7, uid: 5)
        _ = try await fixture.tickets.ingestEmail(m, tokenKey: key)
        var older = mail("c0@c.test")
        older.mailbox = mailbox.id
        older.cursor = InboundEmail.Cursor(uidValidity: 7, uid: 3)
        _ = try await fixture.tickets.ingestEmail(older, tokenKey: key)
        let stored = try await MailboxService(database: fixture.database, key: key, now: fixture.clock.clock).mailbox(mailbox.id, for: .system)
        #expect(stored.uidValidity == 7 && stored.lastUID == 5)
    }

    @Test("the outbox queues one email per agent public reply, none for notes or requester replies, and a replayed batch adds nothing")
    func outbox() async throws {
        let fixture = try Fixture()
        _ = try await addMailbox(fixture)
        guard case .newTicket(let id) = try await fixture.tickets.ingestEmail(mail("o1@c.test"), tokenKey: key).value else { return }
        let agent = try await fixture.agent()
        _ = try await fixture.tickets.addMessage(to: id, NewMessage(kind: .note, body: "internal"), by: agent)
        _ = try await fixture.tickets.addMessage(to: id, NewMessage(kind: .reply, body: "public"), by: agent)
        let consumer = EmailOutboxConsumer(database: fixture.database, tokenKey: key, makeMessageID: { "out-1@\($0)" })
        let batch = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        try await consumer.handle(batch.events, through: batch.last ?? 0)
        _ = try await fixture.tickets.ingestEmail(mail("o2@c.test", answers: ["o1@c.test"]), tokenKey: key)
        let all = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        try await consumer.handle(all.events, through: all.last ?? 0)  // a replay after a crash, plus the requester's reply
        let due = try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(1))
        #expect(due.count == 1)
        let email = try #require(due.first)
        #expect(email.body == "public" && email.toAddress == "ann@customer.test" && email.messageID == "out-1@desk.example.test")
        #expect(email.inReplyTo == "o1@c.test" && email.references == ["o1@c.test"])
        #expect(SubjectToken.reference(in: email.subject, key: key) != nil)
        // Our own Message-ID coming back (a copy, a loop) is a duplicate, not a new ticket.
        #expect(try await fixture.tickets.ingestEmail(mail("out-1@desk.example.test"), tokenKey: key).value == .duplicate)
        try await fixture.tickets.emailSent(email.id, at: fixture.clock.clock())
        #expect(try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(1)).isEmpty)
    }

    @Test("a new email's Cc addresses become CCs; a CC's answer is a reply that reopens; replies are copied to the CCs")
    func ccs() async throws {
        let fixture = try Fixture()
        _ = try await addMailbox(fixture)
        var first = mail("cc1@c.test")
        first.cc = [InboundEmail.Person(name: "Carl", address: "Carl@C.test"), InboundEmail.Person(name: "Ann again", address: "ann@customer.test"),
                    InboundEmail.Person(name: "", address: "not an address")]
        let created = try await fixture.tickets.ingestEmail(first, tokenKey: key)
        guard case .newTicket(let id) = created.value else { Issue.record("expected a new ticket"); return }
        #expect(try await fixture.tickets.ccs(of: id, for: .system).map(\.email) == ["carl@c.test"])
        #expect(created.events.contains { if case .ccsChanged(_, let ccs) = $0 { ccs.count == 1 } else { false } })
        let agent = try await fixture.agent()
        _ = try await fixture.tickets.addMessage(to: id, NewMessage(kind: .reply, body: "public"), by: agent)
        let current = try await fixture.tickets.ticket(id, for: agent)
        _ = try await fixture.tickets.updateTicket(id, expectedVersion: current.version, TicketPatch(status: .resolved), by: agent)
        let answer = try await fixture.tickets.ingestEmail(mail("cc2@c.test", from: "carl@c.test", answers: ["cc1@c.test"]), tokenKey: key)
        #expect(answer.value == .reply(id))
        #expect(try await fixture.tickets.ticket(id, for: .system).status == .open)
        let consumer = EmailOutboxConsumer(database: fixture.database, tokenKey: key, makeMessageID: { "out-\(UUID())@\($0)" })
        let batch = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        try await consumer.handle(batch.events, through: batch.last ?? 0)
        let email = try #require(try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(1)).first)
        #expect(email.cc == [OutboxEmail.Recipient(address: "carl@c.test", name: "Carl")])
    }

    @Test("a created survey queues its email the survey delay later; it is due only then")
    func surveyEmailWaitsForTheDelay() async throws {
        let fixture = try Fixture()
        _ = try await addMailbox(fixture)
        let surveys = SurveyService(database: fixture.database, key: AccessLinkKey(bytes: Array(repeating: 3, count: 32)), now: fixture.clock.clock)
        _ = try await surveys.updateSettings(SurveySettings(enabled: true, expiryDays: 7, question: "Did we help?", delayMinutes: 30), by: .system)
        guard case .newTicket(let id) = try await fixture.tickets.ingestEmail(mail("s1@c.test"), tokenKey: key).value else { return }
        let agent = try await fixture.agent()
        let current = try await fixture.tickets.ticket(id, for: agent)
        _ = try await fixture.tickets.updateTicket(id, expectedVersion: current.version, TicketPatch(status: .resolved), by: agent)
        let resolved = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        try await SurveyConsumer(surveys: surveys).handle(resolved.events, through: resolved.last ?? 0)
        let all = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        try await EmailOutboxConsumer(database: fixture.database, tokenKey: key, makeMessageID: { "survey-1@\($0)" })
            .handle(all.events, through: all.last ?? 0)
        #expect(try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(29 * 60)).isEmpty)
        let email = try #require(try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(30 * 60)).first)
        let survey = try #require(try await surveys.currentSurvey(of: id)?.0)
        #expect(email.surveyID == survey.id && email.toAddress == "ann@customer.test" && email.inReplyTo == "s1@c.test")
        try await fixture.tickets.emailSent(email.id, at: fixture.clock.clock())
        let logged = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }.events
        #expect(logged.contains { if case .survey(.sent(let s)) = $0.event { s.id == survey.id } else { false } })
        #expect(try await fixture.tickets.timeline(id, for: agent).map(\.action).contains(.surveySent))
        #expect(try await fixture.tickets.automaticEmailsSent(to: "ANN@customer.test", since: fixture.clock.clock().addingTimeInterval(-60)) == 1)
    }

    @Test("one sender starts at most 20 tickets by email per hour; the next hour they may again")
    func senderCap() async throws {
        let fixture = try Fixture()
        for n in 0..<TicketService.maxNewEmailTicketsPerSenderPerHour {
            let outcome = try await fixture.tickets.ingestEmail(mail("cap-\(n)@c.test", from: "Loop@Bot.test"), tokenKey: key).value
            guard case .newTicket = outcome else { Issue.record("ticket \(n) not created: \(outcome)"); return }
        }
        #expect(try await fixture.tickets.ingestEmail(mail("cap-x@c.test", from: "loop@bot.test"), tokenKey: key).value == .senderCapped)
        #expect(try await fixture.tickets.ingestEmail(mail("cap-y@c.test", from: "other@c.test"), tokenKey: key).value != .senderCapped)
        fixture.clock.advance(3_601)
        guard case .newTicket = try await fixture.tickets.ingestEmail(mail("cap-z@c.test", from: "loop@bot.test"), tokenKey: key).value
        else { Issue.record("the cap did not lift after an hour"); return }
    }
}
