import Foundation
import Testing
@testable import Tickets

@Suite("TicketService")
struct TicketServiceTests {
    @Test("references start at TKT-001 and keep at least three digits past 999")
    func referenceFormat() async throws {
        let fixture = try Fixture()
        #expect(try await fixture.ticket().reference == "TKT-001")
        try await fixture.database.write { try $0.run("UPDATE counters SET value = 998 WHERE name = 'ticket_number'") }
        #expect(try await fixture.ticket().reference == "TKT-999")
        #expect(try await fixture.ticket().reference == "TKT-1000")
        #expect(TicketReference.parse("tkt-1000") == 1000)
        #expect(TicketReference.parse("TKT-x") == nil)
    }

    @Test("references are never reused after deletion")
    func noReuse() async throws {
        let fixture = try Fixture()
        let first = try await fixture.ticket()
        _ = try await fixture.tickets.deleteTicket(first.id, by: .system)
        #expect(try await fixture.ticket().reference == "TKT-002")
    }

    @Test("many tasks creating at once get unique, gapless references")
    func concurrentCreation() async throws {
        let fixture = try Fixture()
        let numbers = try await withThrowingTaskGroup(of: Int64.self) { group in
            for index in 0..<100 { group.addTask { try await fixture.ticket("Concurrent \(index)").number } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(numbers.sorted() == Array(1...100))
    }

    @Test("an update stating a stale version fails with a conflict carrying the current ticket")
    func versionConflict() async throws {
        let fixture = try Fixture()
        let ticket = try await fixture.ticket()
        let updated = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(priority: .high), by: .system)
        #expect(updated.value.version == 2)
        let error = await domainError(.conflict) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(priority: .low), by: .system)
        }
        #expect(error?.currentTicket?.priority == .high)
        #expect(error?.currentTicket?.version == 2)
    }

    @Test("a status change returns update, status and system-message events and stamps resolved time")
    func statusEvents() async throws {
        let fixture = try Fixture()
        let ticket = try await fixture.ticket()
        fixture.clock.advance(60)
        let result = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(status: .resolved), by: .system)
        #expect(result.value.resolvedAt == fixture.clock.now())
        #expect(result.events.count == 3)
        guard case .statusChanged(_, .open, .resolved) = result.events[1] else { Issue.record("no statusChanged"); return }
        guard case .messageAdded(_, let message) = result.events[2] else { Issue.record("no system message"); return }
        #expect(message.kind == .system)
    }

    @Test("a closed ticket can only be reopened to Open")
    func closedTransitions() async throws {
        let fixture = try Fixture()
        let ticket = try await fixture.ticket { $0.status = .closed }
        #expect(ticket.closedAt != nil)
        let error = await domainError(.validation) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(status: .pending), by: .system)
        }
        #expect(error?.field == "status")
        let reopened = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(status: .open), by: .system)
        #expect(reopened.value.status == .open)
        #expect(reopened.value.closedAt == nil)
    }

    @Test("the transition table allows every move except from Closed to anything but Open")
    func transitionTable() {
        for from in TicketStatus.allCases {
            for to in TicketStatus.allCases {
                let expected = from != to && (from != .closed || to == .open)
                #expect(from.canTransition(to: to) == expected, "\(from) -> \(to)")
            }
        }
    }

    @Test("an agent without ticket.delete cannot delete, and without ticket.assign cannot assign")
    func permissions() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent("Admin")
        let restricted = try await fixture.accounts.createRole(name: "Viewer", permissions: [.ticketView, .ticketUpdate], by: admin)
        let viewer = try await fixture.agent("Vic", role: restricted.id)
        let ticket = try await fixture.ticket()
        #expect(await domainError(.forbidden) { _ = try await fixture.tickets.deleteTicket(ticket.id, by: viewer) } != nil)
        #expect(await domainError(.forbidden) {
            _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1, TicketPatch(assigneeID: .some(admin.agentID)), by: viewer)
        } != nil)
    }

    @Test("every command writes audit entries with before and after values")
    func auditTrail() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        let ticket = try await fixture.ticket(by: admin)
        _ = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: 1,
            TicketPatch(status: .inProgress, priority: .urgent, assigneeID: .some(admin.agentID), tags: ["vip"]), by: admin)
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "On it"), by: admin)
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .note, body: "Internal"), by: admin)
        _ = try await fixture.tickets.deleteTicket(ticket.id, by: admin)
        let timeline = try await fixture.tickets.timeline(ticket.id, for: admin)
        #expect(timeline.map(\.action) == [.ticketCreated, .statusChanged, .assigned, .ticketUpdated, .replyAdded, .noteAdded, .ticketDeleted])
        #expect(timeline.allSatisfy { $0.actor == .agent(admin.agentID!) })
        let status = timeline[1]
        #expect(status.before == #"{"status":"open"}"#)
        #expect(status.after == #"{"status":"in_progress"}"#)
        #expect(timeline[3].after?.contains(#""priority":"urgent""#) == true)
        #expect(timeline.last?.after == nil)
        #expect(timeline.last?.before?.contains("TKT-001") == true)
    }

    @Test("an update sending back every current value (the due date within its second) changes and logs nothing")
    func repeatedValuesAreNoChange() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        let due = Date(timeIntervalSince1970: 1_800_000_000.25)
        let ticket = try await fixture.ticket(by: admin) { $0.dueAt = due; $0.tags = ["vip"] }
        let same = TicketPatch(status: ticket.status, priority: ticket.priority, category: ticket.category, channel: ticket.channel,
                               dueAt: .some(Date(timeIntervalSince1970: 1_800_000_000.75)), assigneeID: .some(nil), tags: ["VIP"])
        let result = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version, same, by: admin)
        #expect(result.value.version == ticket.version)
        #expect(result.value.dueAt == due)
        #expect(result.events.isEmpty)
        #expect(try await fixture.tickets.timeline(ticket.id, for: admin).map(\.action) == [.ticketCreated])
        let moved = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version,
                                                          TicketPatch(dueAt: .some(due.addingTimeInterval(60))), by: admin)
        #expect(moved.value.version == ticket.version + 1)
        let timeline = try await fixture.tickets.timeline(ticket.id, for: admin)
        #expect(timeline.map(\.action) == [.ticketCreated, .ticketUpdated])
        #expect(timeline[1].after?.contains("dueAt") == true && timeline[1].after?.contains("priority") == false)
    }

    @Test("contacts are matched case-insensitively and created when new")
    func contactMatching() async throws {
        let fixture = try Fixture()
        let first = try await fixture.ticket { $0.requester = .email(name: "Grace", email: "Grace.Hopper@Example.com") }
        let second = try await fixture.ticket { $0.requester = .email(name: "G.", email: "  grace.hopper@EXAMPLE.COM ") }
        let third = try await fixture.ticket { $0.requester = .email(name: "Alan", email: "alan@example.com") }
        #expect(first.requesterID == second.requesterID)
        #expect(first.requesterID != third.requesterID)
        let contact = try await fixture.tickets.contact(first.requesterID, for: .system)
        #expect(contact.email == "grace.hopper@example.com")
        #expect(contact.name == "Grace")
        #expect(await domainError(.validation) { try await fixture.ticket { $0.requester = .email(name: "x", email: "nope") } }?.field == "requesterEmail")
    }

    @Test("invalid input names the offending field")
    func validation() async throws {
        let fixture = try Fixture()
        #expect(await domainError(.validation) { try await fixture.ticket("   ") }?.field == "subject")
        #expect(await domainError(.validation) { try await fixture.ticket { $0.assigneeID = AgentID(999) } }?.field == "assigneeId")
        #expect(await domainError(.notFound) { _ = try await fixture.tickets.ticket(TicketID(42), for: .system) } != nil)
    }
}
