import Foundation
import Testing
@testable import Tickets

@Suite("DemoSeeder")
struct DemoSeederTests {
    @Test("the demo data covers every status, priority, category and channel and is the same for a seed")
    func coverageAndDeterminism() async throws {
        var snapshots: [[String]] = []
        for _ in 0..<2 {
            let fixture = try Fixture()
            let seeder = DemoSeeder(database: fixture.database, hasher: PasswordHasher(iterations: 1_000), now: fixture.clock.clock)
            let summary = try await seeder.seed(seed: 7, ticketCount: 300)
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
            await #expect(throws: DomainError.self) { _ = try await seeder.seed() }
        }
        #expect(snapshots[0] == snapshots[1])
    }
}
