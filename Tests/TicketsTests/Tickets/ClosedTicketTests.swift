import Foundation
import Testing
@testable import Tickets

/// Closed means archived: read-only except reopening. And the SLA policy of a ticket is
/// chosen at creation and audited when it changes, like every other change.
@Suite("Closed tickets and per-ticket SLA policies")
struct ClosedTicketTests {
    private static func closed(_ fixture: Fixture) async throws -> Ticket {
        let ticket = try await fixture.ticket()
        return try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(status: .closed), by: .system).value
    }

    @Test("a Closed ticket refuses field changes, replies and notes with a conflict naming status")
    func closedIsReadOnly() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let ticket = try await Self.closed(fixture)
        let edit = await domainError(.conflict) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(priority: .urgent), by: ada)
        }
        #expect(edit?.field == "status")
        #expect(edit?.message.contains("reopen") == true)
        // The transition table's own refusal: Closed only reopens to Open.
        #expect(await domainError(.validation) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: .pending), by: ada)
        }?.field == "status")
        for kind in [MessageKind.reply, .note] {
            #expect(await domainError(.conflict) {
                _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: kind, body: "Too late"), by: ada)
            } != nil)
        }
        let thread = try await fixture.tickets.thread(of: ticket.id, for: ada)
        #expect(!thread.contains { $0.body == "Too late" })
    }

    @Test("reopening alone is accepted; with another change in the same patch it is refused; after it, replies work")
    func reopening() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let ticket = try await Self.closed(fixture)
        #expect(await domainError(.conflict) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version,
                                                       TicketPatch(status: .open, priority: .urgent), by: ada)
        } != nil)
        let reopened = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: .open), by: ada)
        #expect(reopened.value.status == .open && reopened.value.closedAt == nil)
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "Back on it"), by: ada)
    }

    @Test("a bulk change skips a Closed ticket with its reason and changes the others")
    func bulkSkipsClosed() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let closed = try await Self.closed(fixture)
        let open = try await fixture.ticket("Still open")
        let result = try await fixture.tickets.bulkUpdate(.ids([closed.id, open.id]), BulkChange(priority: .urgent), by: ada).value
        #expect(result.updated.map(\.id) == [open.id])
        #expect(result.skipped.map(\.ticketID) == [closed.id])
    }

    @Test("a ticket created with a policy runs under it; moving it is audited with both names; a Closed ticket keeps its policy")
    func policyAtCreationAndAudited() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent()
        let policies = SLAPolicyService(database: fixture.database, now: fixture.clock.clock)
        let gold = try await policies.create(SLAPolicyDraft(name: "Gold", firstResponse: PriorityTargets(urgent: 30, high: 60, medium: 120, low: 240),
                                                            resolution: PriorityTargets(urgent: 240, high: 480, medium: 960, low: 1_920)), by: .system)
        let standard = try #require(try await policies.policies(for: .system).first { $0.isDefault })
        let ticket = try await fixture.ticket(by: ada) { $0.slaPolicyID = gold.id }
        #expect(try await fixture.tickets.slaSummaries(of: [ticket.id])[ticket.id]?.policyID == gold.id)
        #expect(await domainError(.validation) { _ = try await fixture.ticket(by: ada) { $0.slaPolicyID = SLAPolicyID(999) } }?.field == "slaPolicyId")

        _ = try await policies.assign(standard.id, to: ticket.id, by: ada)
        let entry = try #require(try await fixture.tickets.timeline(ticket.id, for: ada).last)
        #expect(entry.action == .ticketPolicyChanged)
        #expect(entry.before?.contains("Gold") == true && entry.after?.contains(standard.name) == true)

        let closed = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, TicketPatch(status: .closed), by: ada).value
        #expect(await domainError(.conflict) { _ = try await policies.assign(gold.id, to: closed.id, by: ada) } != nil)
    }
}
