import Foundation
import Testing
@testable import Tickets

/// Email marks on thread messages (`TicketService.emailMarks`) and ingested originals
/// (`TicketService.originalEmail`, migration 20), on a fresh database.
@Suite("EmailMark")
struct EmailMarkTests {
    private let key = CredentialKey(bytes: Array(repeating: 5, count: 32))

    private func mail(_ id: String, answers: [String] = [], original: StagedAttachment? = nil) -> InboundEmail {
        var m = InboundEmail(fromAddress: "ann@customer.test", subject: "Help", text: "Text of \(id)")
        m.messageID = id
        m.answers = answers
        m.original = original
        return m
    }

    @Test("an emailed reply is marked inbound with its sender and kept original; the ticket's first email is its starting email")
    func inboundMark() async throws {
        let fixture = try Fixture()
        guard case .newTicket(let id) = try await fixture.tickets.ingestEmail(mail("m1@c.test"), tokenKey: key).value else {
            Issue.record("expected a new ticket"); return
        }
        let raw = Data("From: ann@customer.test\r\nMessage-ID: <m2@c.test>\r\n\r\nRaw bytes.\r\n".utf8)
        let staged = try fixture.tickets.attachments.stage(bytes: raw, fileName: "original.eml", contentType: "message/rfc822")
        #expect(try await fixture.tickets.ingestEmail(mail("m2@c.test", answers: ["m1@c.test"], original: staged), tokenKey: key).value == .reply(id))
        let reply = try #require(try await fixture.tickets.thread(of: id, for: .system).last)
        let marks = try await fixture.tickets.emailMarks(ticket: id)
        let mark = try #require(marks[reply.id])
        #expect(mark.direction == .inbound && mark.sender == "ann@customer.test" && mark.delivery == nil && mark.recipient == nil)
        let starting = try #require(try await fixture.tickets.startingEmail(ticket: id))
        #expect(starting.sender == "ann@customer.test" && starting.originalID == nil)
        let originalID = try #require(mark.originalID)
        let (original, file) = try await fixture.tickets.originalEmail(originalID, for: .system)
        #expect(original.ticketID == id && original.size == Int64(raw.count))
        #expect(try Data(contentsOf: file) == raw)
        #expect(try await fixture.tickets.referencedStorageKeys([staged.storageKey, "0000"]) == [staged.storageKey])
    }

    @Test("an agent's emailed reply is marked outbound with its recipient (read from the outbox payload) and delivery state")
    func outboundMark() async throws {
        let fixture = try Fixture()
        var draft = MailboxDraft()
        draft.name = "support"; draft.address = "support@desk.example.test"
        draft.imap.host = "imap.test"; draft.imap.port = 993; draft.imap.security = .tls; draft.imap.username = "u"; draft.imap.password = "p"
        draft.smtp.host = "smtp.test"; draft.smtp.port = 587; draft.smtp.security = .starttls; draft.smtp.username = "u"; draft.smtp.password = "p"
        _ = try await MailboxService(database: fixture.database, key: key, now: fixture.clock.clock).create(draft, by: .system)
        guard case .newTicket(let id) = try await fixture.tickets.ingestEmail(mail("o1@c.test"), tokenKey: key).value else {
            Issue.record("expected a new ticket"); return
        }
        let agent = try await fixture.agent()
        let reply = try await fixture.tickets.addMessage(to: id, NewMessage(kind: .reply, body: "On it"), by: agent).value
        let batch = try await fixture.database.read { db in try EventLog.read(after: 0, limit: 1_000, db) }
        try await EmailOutboxConsumer(database: fixture.database, tokenKey: key, makeMessageID: { "out-1@\($0)" })
            .handle(batch.events, through: batch.last ?? 0)
        let queued = try #require(try await fixture.tickets.emailMarks(ticket: id)[reply.id])
        #expect(queued.direction == .outbound && queued.recipient == "ann@customer.test" && queued.delivery == .queued)
        #expect(queued.sender == nil && queued.originalID == nil)
        let email = try #require(try await fixture.tickets.dueEmails(now: fixture.clock.clock().addingTimeInterval(1)).first)
        try await fixture.tickets.emailSent(email.id, at: fixture.clock.clock())
        #expect(try await fixture.tickets.emailMarks(ticket: id)[reply.id]?.delivery == .sent)
    }

    @Test("a requester never gets an original, and an unknown or unkept one is not found")
    func originalRefusals() async throws {
        let fixture = try Fixture()
        let staged = try fixture.tickets.attachments.stage(bytes: Data("raw".utf8), fileName: "original.eml", contentType: "message/rfc822")
        guard case .newTicket(let id) = try await fixture.tickets.ingestEmail(mail("r1@c.test", original: staged), tokenKey: key).value else {
            Issue.record("expected a new ticket"); return
        }
        let requester = try await fixture.tickets.ticket(id, for: .system).requesterID
        await #expect(throws: DomainError.self) { _ = try await fixture.tickets.originalEmail(1, for: .requester(requester)) }
        await #expect(throws: DomainError.self) { _ = try await fixture.tickets.originalEmail(999, for: .system) }
        _ = try await fixture.tickets.ingestEmail(mail("r2@c.test", answers: ["r1@c.test"]), tokenKey: key)
        await #expect(throws: DomainError.self) { _ = try await fixture.tickets.originalEmail(2, for: .system) }
        #expect(try await fixture.tickets.originalEmail(1, for: .system).0.ticketID == id)
    }
}
