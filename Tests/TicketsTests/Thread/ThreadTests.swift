import Foundation
import Testing
@testable import Tickets

@Suite("Thread and attachments")
struct ThreadTests {
    @Test("an attachment over 10 MB is refused and leaves no file behind")
    func sizeLimit() async throws {
        let fixture = try Fixture()
        let big = Data(count: Int(AttachmentStore.maxFileBytes) + 1)
        let error = await domainError(.tooLarge) {
            _ = try fixture.attachments.stage(bytes: big, fileName: "big.bin", contentType: "application/octet-stream")
        }
        #expect(error?.field == "attachments")
        let upload = try fixture.attachments.beginUpload(fileName: "stream.bin", contentType: "application/octet-stream")
        try upload.append(Data(count: 6 * 1024 * 1024))
        #expect(await domainError(.tooLarge) { try upload.append(Data(count: 6 * 1024 * 1024)) } != nil)
        let files = FileManager.default.enumerator(atPath: fixture.attachments.directory.path)?.compactMap { $0 as? String }
            .filter { !$0.hasSuffix("tmp") } ?? []
        #expect(files.isEmpty)
    }

    @Test("attachments are stored by content hash and listed on their message")
    func attachmentsOnReply() async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        let a = try fixture.attachments.stage(bytes: Data("hello".utf8), fileName: "../../etc/a.txt", contentType: "text/plain")
        let spooled = fixture.folder.appendingPathComponent("upload.tmp")
        try Data("second".utf8).write(to: spooled)
        let b = try fixture.attachments.stage(fileAt: spooled, fileName: "b.txt", contentType: "text/plain")
        #expect(!FileManager.default.fileExists(atPath: spooled.path))
        #expect(a.fileName == "a.txt")
        #expect(a.sha256 == "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824")
        let message = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "See files", attachments: [a, b]), by: agent).value
        #expect(message.attachments.count == 2)
        let (found, url) = try await fixture.tickets.attachment(message.attachments[0].id, for: agent)
        #expect(found.size == 5)
        #expect(try Data(contentsOf: url) == Data("hello".utf8))
        let timeline = try await fixture.tickets.timeline(ticket.id, for: agent)
        #expect(timeline.filter { $0.action == .attachmentAdded }.count == 2)
    }

    @Test("requesters never see notes, and an agent's first public reply stamps first response")
    func notesHidden() async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .note, body: "secret"), by: agent)
        #expect(try await fixture.tickets.ticket(ticket.id, for: agent).firstResponseAt == nil)
        fixture.clock.advance(120)
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "public"), by: agent)
        #expect(try await fixture.tickets.ticket(ticket.id, for: agent).firstResponseAt == fixture.clock.now())
        let requesterView = try await fixture.tickets.thread(of: ticket.id, for: .requester(ticket.requesterID))
        #expect(requesterView.map(\.body) == ["public"])
        #expect(try await fixture.tickets.thread(of: ticket.id, for: agent).count == 2)
        #expect(await domainError(.forbidden) {
            _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .note, body: "x"), by: .requester(ticket.requesterID))
        } != nil)
        #expect(await domainError(.notFound) { _ = try await fixture.tickets.thread(of: ticket.id, for: .requester(ContactID(999))) } != nil)
    }

    @Test("a reply written after newer public replies is refused unless forced")
    func collision() async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        let seen = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "first"), by: agent).value
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .note, body: "a note is not a collision"), by: agent)
        let stale = NewMessage(kind: .reply, body: "mine", afterMessageID: seen.id)
        _ = try await fixture.tickets.addMessage(to: ticket.id, stale, by: agent)
        let error = await domainError(.conflict) { _ = try await fixture.tickets.addMessage(to: ticket.id, stale, by: agent) }
        #expect(error?.newerMessages.map(\.body) == ["mine"])
        var forced = stale
        forced.force = true
        _ = try await fixture.tickets.addMessage(to: ticket.id, forced, by: agent)
    }

    @Test("a requester reply reopens a Pending ticket to Open")
    func requesterReopens() async throws {
        let fixture = try Fixture()
        let ticket = try await fixture.ticket { $0.status = .pending }
        let result = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "Any news?"), by: .requester(ticket.requesterID))
        #expect(try await fixture.tickets.ticket(ticket.id, for: .system).status == .open)
        #expect(result.events.contains { if case .statusChanged(_, .pending, .open) = $0 { true } else { false } })
    }
}
