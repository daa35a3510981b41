import Foundation
import Testing
@testable import Tickets

@Suite("Merging")
struct MergeTests {
    /// What identifies a message across a merge: everything but the ticket it sits on.
    struct Fingerprint: Hashable {
        let id: MessageID
        let kind: MessageKind
        let author: String
        let body: String
        let createdAt: Date
        let files: [String]

        init(_ m: Message) {
            id = m.id
            kind = m.kind
            author = "\(m.author)"
            body = m.body
            createdAt = m.createdAt
            files = m.attachments.map(\.fileName)
        }
    }

    /// Threads of random length on `tickets`, written in a random interleaving with the
    /// clock moving forward, some messages with a file.
    func generateThreads(_ fixture: Fixture, on tickets: [Ticket], by agent: Actor, seed: UInt64) async throws {
        var random = SeededGenerator(seed: seed)
        let total = Int.random(in: 0...24, using: &random)
        for index in 0..<total {
            let ticket = tickets[Int.random(in: 0..<tickets.count, using: &random)]
            fixture.clock.advance(Double(Int.random(in: 1...300, using: &random)))
            let kind: MessageKind = Bool.random(using: &random) ? .reply : .note
            let files = Int.random(in: 0..<5, using: &random) == 0
                ? [try fixture.attachments.stage(bytes: Data("file \(index)".utf8), fileName: "f\(index).txt", contentType: "text/plain")] : []
            let draft = NewMessage(kind: kind, body: "message \(index) on \(ticket.reference)", attachments: files)
            _ = try await fixture.tickets.addMessage(to: ticket.id, draft, by: Bool.random(using: &random) ? agent : .system)
        }
    }

    func movable(_ thread: [Message]) -> [Fingerprint] { thread.filter { $0.kind != .system }.map(Fingerprint.init) }

    @Test("over generated threads nothing is lost, nothing duplicated, and the primary's thread is in time order",
          arguments: 1...12)
    func invariants(seed: Int) async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent()
        let tickets = [try await fixture.ticket("Primary"), try await fixture.ticket("Dup A"), try await fixture.ticket("Dup B")]
        try await generateThreads(fixture, on: tickets, by: agent, seed: UInt64(seed))
        var before: [Fingerprint] = []
        for ticket in tickets { before += movable(try await fixture.tickets.thread(of: ticket.id, for: .system)) }
        let onPrimary = movable(try await fixture.tickets.thread(of: tickets[0].id, for: .system)).count
        fixture.clock.advance(60)
        let result = try await fixture.tickets.mergeTickets(into: tickets[0].id, secondaries: [tickets[1].id, tickets[2].id], by: agent)
        let primaryThread = try await fixture.tickets.thread(of: tickets[0].id, for: .system)
        let after = movable(primaryThread)
        #expect(after.count == before.count)
        #expect(Set(after) == Set(before))
        #expect(zip(primaryThread, primaryThread.dropFirst()).allSatisfy { ($0.createdAt, $0.id.rawValue) <= ($1.createdAt, $1.id.rawValue) })
        for secondary in tickets.dropFirst() {
            #expect(try await fixture.tickets.thread(of: secondary.id, for: .system).allSatisfy { $0.kind == .system })
            let closed = try await fixture.tickets.ticket(secondary.id, for: .system)
            #expect(closed.status == .closed && closed.mergedIntoID == tickets[0].id)
        }
        #expect(result.value.movedMessages == before.count - onPrimary)
        #expect(result.events.contains { if case .merged = $0 { true } else { false } })
    }

    @Test("watchers, tags and CC contacts are unioned; system messages and audit entries record the merge on both tickets")
    func unionsAndRecords() async throws {
        let fixture = try Fixture()
        let ann = try await fixture.agent("Ann"), ben = try await fixture.agent("Ben")
        let primary = try await fixture.ticket("Primary") { $0.tags = ["vip"] }
        let secondary = try await fixture.ticket("Duplicate") { $0.tags = ["printer", "vip"] }
        _ = try await fixture.tickets.addWatcher(ann.agentID!, to: primary.id, by: ann)
        _ = try await fixture.tickets.addWatcher(ann.agentID!, to: secondary.id, by: ann)
        _ = try await fixture.tickets.addWatcher(ben.agentID!, to: secondary.id, by: ben)
        _ = try await fixture.tickets.addCC(email: "carl@example.test", name: "Carl", to: primary.id, by: ann)
        _ = try await fixture.tickets.addCC(email: "carl@example.test", name: "Carl", to: secondary.id, by: ann)
        _ = try await fixture.tickets.addCC(email: "dora@example.test", name: "Dora", to: secondary.id, by: ann)
        let result = try await fixture.tickets.mergeTickets(into: primary.id, secondaries: [secondary.id], by: ann)
        #expect(result.value.primary.tags == ["printer", "vip"])
        #expect(try await fixture.tickets.ccs(of: primary.id, for: ann).map(\.email) == ["carl@example.test", "dora@example.test"])
        #expect(result.events.contains { if case .ccsChanged(_, let ccs) = $0 { ccs.count == 2 } else { false } })
        #expect(try await fixture.tickets.watchers(of: primary.id, for: ann) == [ann.agentID!, ben.agentID!])
        let primaryNote = try await fixture.tickets.thread(of: primary.id, for: ann).last
        #expect(primaryNote?.kind == .system && primaryNote?.body.contains(secondary.reference) == true)
        let secondaryNote = try await fixture.tickets.thread(of: secondary.id, for: ann).last
        #expect(secondaryNote?.kind == .system && secondaryNote?.body.contains("Merged into \(primary.reference)") == true)
        #expect(try await fixture.tickets.timeline(primary.id, for: ann).contains { $0.action == .merged })
        #expect(try await fixture.tickets.timeline(secondary.id, for: ann).contains { $0.action == .mergedInto })
    }

    @Test("merging into itself, into a merged ticket, a merged secondary, or back in a cycle is refused; a merged ticket stays closed")
    func refusals() async throws {
        let fixture = try Fixture()
        let a = try await fixture.ticket("A"), b = try await fixture.ticket("B"), c = try await fixture.ticket("C")
        let itself = await domainError(.validation) { _ = try await fixture.tickets.mergeTickets(into: a.id, secondaries: [a.id], by: .system) }
        #expect(itself?.message == "A ticket cannot be merged into itself.")
        _ = try await fixture.tickets.mergeTickets(into: a.id, secondaries: [b.id], by: .system)
        let cycle = await domainError(.conflict) { _ = try await fixture.tickets.mergeTickets(into: b.id, secondaries: [a.id], by: .system) }
        #expect(cycle?.message == "\(b.reference) was merged into \(a.reference); merge into \(a.reference) instead.")
        let again = await domainError(.conflict) { _ = try await fixture.tickets.mergeTickets(into: c.id, secondaries: [b.id], by: .system) }
        #expect(again?.message == "\(b.reference) was already merged into \(a.reference).")
        let empty = await domainError(.validation) { _ = try await fixture.tickets.mergeTickets(into: c.id, secondaries: [], by: .system) }
        #expect(empty?.field == "secondaryIds")
        let reopen = await domainError(.validation) {
            let current = try await fixture.tickets.ticket(b.id, for: .system)
            _ = try await fixture.tickets.updateTicket(b.id, expectedVersion: current.version, TicketPatch(status: .open), by: .system)
        }
        #expect(reopen?.field == "status")
        let missing = await domainError(.validation) {
            _ = try await fixture.tickets.mergeTickets(into: c.id, secondaries: [TicketID(999)], by: .system)
        }
        #expect(missing?.field == "secondaryIds")
    }
}
