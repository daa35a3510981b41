import Foundation
import Testing
@testable import Tickets

@Suite("Watchers and links")
struct WatchersAndLinksTests {
    @Test("watching yourself needs ticket.view, adding others ticket.update; adding twice changes nothing")
    func watcherPermissions() async throws {
        let fixture = try Fixture()
        let viewerRole = try await fixture.accounts.createRole(name: "Viewer", permissions: [.ticketView], by: .system)
        let viewer = try await fixture.agent("Vera", role: viewerRole.id)
        let ann = try await fixture.agent("Ann")
        let ticket = try await fixture.ticket()
        let added = try await fixture.tickets.addWatcher(viewer.agentID!, to: ticket.id, by: viewer)
        #expect(added.value == [viewer.agentID!] && added.events.count == 1)
        #expect(try await fixture.tickets.addWatcher(viewer.agentID!, to: ticket.id, by: viewer).events.isEmpty)
        #expect(await domainError(.forbidden) { _ = try await fixture.tickets.addWatcher(ann.agentID!, to: ticket.id, by: viewer) } != nil)
        _ = try await fixture.tickets.addWatcher(ann.agentID!, to: ticket.id, by: ann)
        #expect(try await fixture.tickets.removeWatcher(viewer.agentID!, from: ticket.id, by: ann).value == [ann.agentID!])
        #expect(await domainError(.notFound) { _ = try await fixture.tickets.removeWatcher(viewer.agentID!, from: ticket.id, by: ann) } != nil)
    }

    @Test("watchers are notified of replies and status changes, never of their own")
    func watcherNotifications() {
        let ticket = Ticket(id: TicketID(1), number: 1, subject: "S", description: "", status: .open, priority: .low,
                            category: .general, channel: .web, dueAt: nil, requesterID: ContactID(1), assigneeID: nil, tags: [],
                            createdAt: Date(), updatedAt: Date(), firstResponseAt: nil, resolvedAt: nil, closedAt: nil, version: 1)
        let drafts = NotificationRules.drafts(for: .statusChanged(ticket, from: .open, to: .pending), by: .system,
                                              watchers: [AgentID(7), AgentID(8)])
        #expect(drafts.map(\.recipient) == [AgentID(7), AgentID(8)])
    }

    @Test("external links need a title and an http(s) URL; ticket links show on both tickets and are removable from either")
    func links() async throws {
        let fixture = try Fixture()
        let a = try await fixture.ticket("A"), b = try await fixture.ticket("B")
        for bad in ["javascript:alert(1)", "ftp://x.example", "http://", "not a url"] {
            let error = await domainError(.validation) {
                _ = try await fixture.tickets.addLink(NewTicketLink(kind: .issue, title: "Bug", url: bad), to: a.id, by: .system)
            }
            #expect(error?.field == "url")
        }
        let issue = try await fixture.tickets.addLink(NewTicketLink(kind: .incident, title: "Outage", url: "https://status.example/1"),
                                                      to: a.id, by: .system)
        #expect(issue.value.url == "https://status.example/1")
        let related = try await fixture.tickets.addLink(NewTicketLink(kind: .ticket, ticketID: b.id), to: a.id, by: .system)
        #expect(related.events.count == 2)
        let fromB = try await fixture.tickets.links(of: b.id, for: .system)
        #expect(fromB.map(\.linkedTicket?.id) == [a.id])
        let duplicate = await domainError(.conflict) {
            _ = try await fixture.tickets.addLink(NewTicketLink(kind: .ticket, ticketID: a.id), to: b.id, by: .system)
        }
        #expect(duplicate != nil)
        let selfLink = await domainError(.validation) {
            _ = try await fixture.tickets.addLink(NewTicketLink(kind: .ticket, ticketID: a.id), to: a.id, by: .system)
        }
        #expect(selfLink?.field == "ticketId")
        _ = try await fixture.tickets.removeLink(related.value.id, from: b.id, by: .system)
        #expect(try await fixture.tickets.links(of: a.id, for: .system).map(\.kind) == [.incident])
        #expect(try await fixture.tickets.timeline(b.id, for: .system).filter { $0.action == .linkAdded || $0.action == .linkRemoved }.count == 2)
    }
}
