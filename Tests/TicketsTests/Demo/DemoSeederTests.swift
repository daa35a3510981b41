import Foundation
import Testing
@testable import Tickets

@Suite("DemoSeeder")
struct DemoSeederTests {
    /// A fixture seeded with the demo data (seed 7, 300 tickets) at its clock's now.
    private static func seeded() async throws -> (Fixture, DemoSummary) {
        let fixture = try Fixture()
        let seeder = DemoSeeder(database: fixture.database, hasher: PasswordHasher(iterations: 1_000), now: fixture.clock.clock)
        return (fixture, try await seeder.seed(seed: 7, ticketCount: 300))
    }

    @Test("the demo data covers every status, priority, category and channel and is the same for a seed")
    func coverageAndDeterminism() async throws {
        var snapshots: [[String]] = []
        for _ in 0..<2 {
            let (fixture, summary) = try await Self.seeded()
            #expect(summary.agents == 5 && summary.contacts == 40 && summary.tickets == 300)
            let distinct = try await fixture.database.read { db in
                ["status", "priority", "category", "channel"].map { try! db.first("SELECT count(DISTINCT \($0)) FROM tickets")!.int(0) }
            }
            #expect(distinct == [6, 4, 7, 5])
            snapshots.append(try await fixture.database.read { db in
                try db.query("SELECT number, subject, status, requester_id, assignee_id, due_at FROM tickets ORDER BY id")
                    .map { "\($0.values)" }
            })
            let grant = try await fixture.accounts.login(email: "alex@demo.helpdesk", password: summary.password, ip: "ip")
            #expect(grant.principal.can(.usersManage))
            let seeder = DemoSeeder(database: fixture.database, hasher: PasswordHasher(iterations: 1_000), now: fixture.clock.clock)
            await #expect(throws: DomainError.self) { _ = try await seeder.seed() }
        }
        #expect(snapshots[0] == snapshots[1])
    }

    @Test("no timestamp of a ticket, message, audit entry or survey lies after now, or before its ticket was created")
    func noFutureTimestamps() async throws {
        let (fixture, _) = try await Self.seeded()
        let now = fixture.clock.clock().timeIntervalSince1970 * 1000
        let checks = [
            "SELECT max(created_at) FROM tickets", "SELECT max(updated_at) FROM tickets",
            "SELECT max(COALESCE(first_response_at, 0)) FROM tickets", "SELECT max(COALESCE(resolved_at, 0)) FROM tickets",
            "SELECT max(COALESCE(closed_at, 0)) FROM tickets",
            "SELECT max(created_at) FROM messages", "SELECT max(at) FROM audit_log",
            "SELECT max(created_at) FROM csat_surveys", "SELECT max(COALESCE(answered_at, 0)) FROM csat_surveys",
        ]
        let (latest, early) = try await fixture.database.read { db in
            (try checks.map { try db.first($0)!.int64(0) },
             try db.first("SELECT count(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.created_at < t.created_at")!.int(0))
        }
        for value in latest { #expect(Double(value) <= now) }
        #expect(early == 0)
    }

    @Test("customer lines come from the requester, agent lines and notes from an agent; the thread fits the status")
    func authorsMakeSense() async throws {
        let (fixture, _) = try await Self.seeded()
        let customerLines = Set(DemoData.topics.flatMap(\.customer))
        let agentLines = Set(DemoData.topics.flatMap(\.agent) + DemoData.topics.map(\.note) + [DemoData.holdNote])
        let rows = try await fixture.database.read { db in
            try db.query("""
                SELECT m.kind, m.author_agent_id, m.author_contact_id, m.body, t.requester_id, t.status, t.first_response_at,
                    (SELECT min(created_at) FROM messages a WHERE a.ticket_id = t.id AND a.kind = 'reply' AND a.author_agent_id IS NOT NULL)
                FROM messages m JOIN tickets t ON t.id = m.ticket_id ORDER BY m.ticket_id, m.created_at, m.id
                """)
        }
        #expect(rows.count > 500)
        for row in rows where row.text(0) != "system" {
            if customerLines.contains(row.text(3)) {
                #expect(row.optionalInt64(2) == row.int64(4) && row.optionalInt64(1) == nil, "\(row.text(3))")
                #expect(row.text(0) == "reply")
            } else {
                #expect(agentLines.contains(row.text(3)), "\(row.text(3))")
                #expect(row.optionalInt64(1) != nil && row.optionalInt64(2) == nil, "\(row.text(3))")
            }
            #expect(row.optionalInt64(6) == row.optionalInt64(7), "first response is the first agent reply")
        }
    }

    @Test("SLA clocks replay each ticket's history: Pending and On Hold pause, Resolved and Closed are met, a first reply settles the first response")
    func slaClocksFollowHistory() async throws {
        let (fixture, _) = try await Self.seeded()
        let tickets = try await fixture.tickets.list(TicketListRequest(limit: 200), for: .system)
        #expect(tickets.sla.count == tickets.tickets.count)
        for ticket in tickets.tickets {
            let sla = try #require(tickets.sla[ticket.id])
            // A clock paused after a late first response still reads Breached (the breach wins).
            if ticket.status == .pending || ticket.status == .onHold { #expect([.paused, .breached].contains(sla.status), "\(ticket.reference)") }
            if ticket.status == .resolved || ticket.status == .closed { #expect(sla.status == .met, "\(ticket.reference)") }
            if ticket.firstResponseAt != nil {
                let first = sla.metrics.first { $0.metric == .firstResponse }
                #expect(first?.metAt != nil || first?.breachedAt != nil, "\(ticket.reference)")
            }
        }
        let extras = try await fixture.database.read { db in
            ["canned_responses", "assignment_rules", "csat_surveys"].map { try! db.first("SELECT count(*) FROM \($0)")!.int(0) }
        }
        #expect(extras[0] == DemoData.cannedResponses.count && extras[1] == 2 && extras[2] > 30)
    }
}
