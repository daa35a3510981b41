import Foundation
import Testing
@testable import Tickets

@Suite("Notifications: who hears about what, stored per agent with preferences")
struct NotificationTests {
    @Test("Assigning a ticket notifies the new assignee, but not when they assigned it to themselves")
    func assignmentNotifiesAssignee() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada")
        let bob = try await fixture.agent("Bob", role: .agent)
        let ticket = try await fixture.ticket()
        let result = try await fixture.tickets.updateTicket(ticket.id, expectedVersion: ticket.version,
                                                          TicketPatch(assigneeID: .some(bob.agentID)), by: ada)
        let drafts = result.events.flatMap { NotificationRules.drafts(for: $0, by: ada) }
        #expect(drafts.map(\.recipient) == [bob.agentID!])
        #expect(drafts.first?.kind == .assigned)
        #expect(drafts.first?.title.contains(ticket.reference) == true)
        let selfAssigned = result.events.flatMap { NotificationRules.drafts(for: $0, by: bob) }
        #expect(selfAssigned.isEmpty)
    }

    @Test("A public reply notifies the assignee and watchers except its author; notes notify nobody")
    func repliesNotifyFollowers() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada")
        let bob = try await fixture.agent("Bob", role: .agent)
        let carol = try await fixture.agent("Carol", role: .agent)
        let ticket = try await fixture.ticket { $0.assigneeID = bob.agentID }
        let reply = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "Hello"), by: ada)
        let drafts = reply.events.flatMap { NotificationRules.drafts(for: $0, by: ada, watchers: [carol.agentID!, ada.agentID!]) }
        #expect(Set(drafts.map(\.recipient)) == [bob.agentID!, carol.agentID!])
        #expect(drafts.allSatisfy { $0.kind == .reply })
        let note = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .note, body: "internal", force: true), by: ada)
        #expect(note.events.flatMap { NotificationRules.drafts(for: $0, by: ada, watchers: [carol.agentID!]) }.isEmpty)
    }

    @Test("A failed email notifies the agent whose reply it carried, even though the system records it; automatic email nobody")
    func failedEmailNotifiesItsSender() async throws {
        let fixture = try Fixture()
        let bob = try await fixture.agent("Bob", role: .agent)
        let ticket = try await fixture.ticket { $0.assigneeID = bob.agentID }
        let failure = EmailFailure(outboxID: 1, messageID: MessageID(1), recipient: "ann@example.test", error: "550", senderAgentID: bob.agentID)
        let drafts = NotificationRules.drafts(for: .emailFailed(ticket, failure), by: .system)
        #expect(drafts.map(\.recipient) == [bob.agentID!] && drafts.map(\.kind) == [.emailFailed])
        #expect(drafts.first?.title == "Your reply on \(ticket.reference) could not be delivered to ann@example.test")
        let automatic = EmailFailure(outboxID: 2, messageID: nil, recipient: "ann@example.test", error: "550", senderAgentID: nil)
        #expect(NotificationRules.drafts(for: .emailFailed(ticket, automatic), by: .system).isEmpty)
    }

    @Test("Stored notifications respect preferences, page newest first, and count unread")
    func storageAndPreferences() async throws {
        let fixture = try Fixture()
        let bob = try await fixture.agent("Bob", role: .agent)
        let service = NotificationService(database: fixture.database, now: fixture.clock.clock)
        let ticket = try await fixture.ticket()
        func draft(_ kind: NotificationKind, _ title: String) -> NotificationDraft {
            NotificationDraft(recipient: bob.agentID!, kind: kind, ticketID: ticket.id, ticketReference: ticket.reference, title: title)
        }
        _ = try await service.setPreferences([.statusChanged: false], of: bob.agentID!)
        let stored = try await service.record([draft(.assigned, "one"), draft(.statusChanged, "muted"), draft(.reply, "two")])
        #expect(stored.map(\.title) == ["one", "two"])
        #expect(try await service.feed(of: bob.agentID!).map(\.title) == ["two", "one"])
        #expect(try await service.unreadCount(of: bob.agentID!) == 2)
        #expect(try await service.markRead([stored[0].id], of: bob.agentID!) == 1)
        #expect(try await service.feed(of: bob.agentID!, unreadOnly: true).map(\.title) == ["two"])
        #expect(try await service.markRead(nil, of: bob.agentID!) == 0)
        let preferences = try await service.preferences(of: bob.agentID!)
        #expect(preferences[.statusChanged] == false && preferences[.assigned] == true)
    }

    @Test("Marking another agent's notification as read changes nothing")
    func cannotTouchOthersNotifications() async throws {
        let fixture = try Fixture()
        let ada = try await fixture.agent("Ada")
        let bob = try await fixture.agent("Bob", role: .agent)
        let service = NotificationService(database: fixture.database, now: fixture.clock.clock)
        let ticket = try await fixture.ticket()
        let stored = try await service.record([NotificationDraft(recipient: bob.agentID!, kind: .reply, ticketID: ticket.id,
                                                                 ticketReference: ticket.reference, title: "for Bob")])
        #expect(try await service.markRead([stored[0].id], of: ada.agentID!) == 0)
        #expect(try await service.unreadCount(of: bob.agentID!) == 1)
    }
}
