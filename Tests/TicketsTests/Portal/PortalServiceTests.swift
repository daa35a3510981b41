import Foundation
import Testing
@testable import Tickets

@Suite("Requester access links")
struct PortalServiceTests {
    func service(_ fixture: Fixture, key: [UInt8] = Array(repeating: 7, count: 32)) -> PortalService {
        PortalService(tickets: fixture.tickets, key: AccessLinkKey(bytes: key), now: fixture.clock.clock)
    }

    @Test("an issued token opens its ticket, and a regenerated one replaces it at once")
    func issueAndRegenerate() async throws {
        let fixture = try Fixture()
        let portal = service(fixture)
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        let first = try await portal.issueAccessLink(for: ticket.id, expiresAt: nil, by: agent)
        let token = try #require(first.value.token)
        #expect(first.value.generation == 1)
        #expect(try await portal.open(token: token) == ticket.id)
        let second = try await portal.issueAccessLink(for: ticket.id, expiresAt: nil, by: agent).value
        #expect(second.generation == 2 && second.token != token)
        #expect(await domainError(.notFound) { _ = try await portal.open(token: token) } != nil)
        #expect(try await portal.open(token: try #require(second.token)) == ticket.id)
    }

    @Test("a link stops opening at its expiry, by the injected clock")
    func expiry() async throws {
        let fixture = try Fixture()
        let portal = service(fixture)
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        let at = fixture.clock.clock()
        let link = try await portal.issueAccessLink(for: ticket.id, expiresAt: at.addingTimeInterval(60), by: agent).value
        fixture.clock.advance(59)
        #expect(try await portal.open(token: try #require(link.token)) == ticket.id)
        fixture.clock.advance(1)
        #expect(await domainError(.notFound) { _ = try await portal.open(token: link.token!) } != nil)
        #expect(try await portal.accessLink(of: ticket.id, for: agent)?.isExpired(at: fixture.clock.clock()) == true)
    }

    @Test("every token that opens nothing gets the same message")
    func uniformRefusal() async throws {
        let fixture = try Fixture()
        let portal = service(fixture)
        var messages: Set<String> = []
        for token in ["", "x", String(repeating: "A", count: 43), String(repeating: "é", count: 10_000)] {
            do {
                _ = try await portal.open(token: token)
            } catch let error as DomainError {
                messages.insert("\(error.code) \(error.message)")
            }
        }
        #expect(messages.count == 1)
    }

    @Test("each change is audited and logged as ticket.access_link_changed without the token")
    func auditedAndLogged() async throws {
        let fixture = try Fixture()
        let portal = service(fixture)
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        let issued = try await portal.issueAccessLink(for: ticket.id, expiresAt: nil, by: agent)
        fixture.clock.advance(1)
        let changed = try await portal.setAccessLinkExpiry(for: ticket.id, expiresAt: fixture.clock.clock().addingTimeInterval(60), by: agent)
        guard case .accessLinkChanged(_, let change)? = changed.events.first else { Issue.record("no event"); return }
        #expect(change.action == .expiryChanged)
        let timeline = try await fixture.tickets.timeline(ticket.id, for: agent).map(\.action)
        #expect(timeline.suffix(2) == [.accessLinkIssued, .accessLinkExpiryChanged])
        let token = try #require(issued.value.token)
        let stored = try await fixture.database.read { db in try db.query("SELECT type, payload FROM events").map { $0.text(1) } }
        #expect(!stored.contains { $0.contains(token) })
    }

    @Test("a link made under another key still opens but cannot be shown again")
    func keyChanged() async throws {
        let fixture = try Fixture()
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket()
        let token = try #require(try await service(fixture).issueAccessLink(for: ticket.id, expiresAt: nil, by: agent).value.token)
        let other = service(fixture, key: Array(repeating: 9, count: 32))
        #expect(try await other.open(token: token) == ticket.id)
        #expect(try await other.accessLink(of: ticket.id, for: agent)?.token == nil)
        let ensured = try await other.ensureAccessLink(for: ticket.id, by: .system).value
        #expect(ensured.token != nil && ensured.generation == 2)
    }

    @Test("ensuring a link keeps a working one and issues one where none works")
    func ensure() async throws {
        let fixture = try Fixture()
        let portal = service(fixture)
        let ticket = try await fixture.ticket()
        let made = try await portal.ensureAccessLink(for: ticket.id, by: .system)
        #expect(made.value.generation == 1 && made.events.count == 1)
        let kept = try await portal.ensureAccessLink(for: ticket.id, by: .system)
        #expect(kept.value.token == made.value.token && kept.events.isEmpty)
    }

    @Test("managing links needs ticket.update; a requester cannot")
    func permissions() async throws {
        let fixture = try Fixture()
        let portal = service(fixture)
        let ticket = try await fixture.ticket()
        #expect(await domainError(.forbidden) { _ = try await portal.issueAccessLink(for: ticket.id, expiresAt: nil, by: .requester(ticket.requesterID)) } != nil)
        #expect(await domainError(.validation) {
            _ = try await portal.issueAccessLink(for: ticket.id, expiresAt: fixture.clock.clock(), by: .system)
        }?.field == "expiresAt")
    }
}
