import Foundation
import Testing
@testable import Tickets

@Suite("Ticket lists at scale")
struct TicketListScaleTests {
    @Test("the total stops counting at totalCap and says so")
    func cappedTotal() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        for index in 0..<(TicketListRequest.totalCap + 1) {
            try await fixture.ticket("Issue \(index)", by: admin) { $0.status = index == 0 ? .pending : .open }
        }
        let all = try await fixture.tickets.list(TicketListRequest(limit: 10), for: admin)
        #expect(all.totalCount == TicketListRequest.totalCap && all.totalIsCapped)
        var filter = TicketFilter()
        filter.statuses = [.open]
        let open = try await fixture.tickets.list(TicketListRequest(filter: filter, limit: 10), for: admin)
        #expect(open.totalCount == TicketListRequest.totalCap && !open.totalIsCapped)
    }

    @Test("a common tag probed along the sort index pages exactly like the collected tag set",
          .enabled(if: !TestDatabase.isPostgres, "SQLite's list planner"))
    func commonTagPlan() async throws {
        let (fixture, admin) = try await TicketListTests.seeded()
        var filter = TicketFilter()
        filter.tag = "vip"
        let tagged = filter
        let sort = TicketSort(.priority, descending: false)
        let viewer = admin.agentID
        let pages = try await fixture.database.read { db in
            let planner = SQLiteTicketListPlanning(pageCommonTag: 1)
            let probed = try planner.query(tagged, viewer: viewer, purpose: .page, textMatches: nil, db)
            let collected = try planner.query(tagged, viewer: viewer, purpose: .exact, textMatches: nil, db)
            #expect(probed.whereClause.contains("EXISTS") && !collected.whereClause.contains("EXISTS"))
            return try [probed, collected].map { try TicketListRecord.page($0, sort: sort, after: nil, limit: 200, db).0.map(\.id) }
        }
        #expect(pages[0] == pages[1] && pages[0].count == 12)
    }

    @Test("a common tag with other filters settles a capped count among the tag's newest tickets, or leaves it to the usual count",
          .enabled(if: !TestDatabase.isPostgres, "SQLite's list planner"))
    func recentTagCount() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        for index in 0..<6 {
            try await fixture.ticket("Tagged \(index)", by: admin) { $0.tags = ["vip"]; $0.status = index < 4 ? .open : .pending }
        }
        var filter = TicketFilter()
        filter.tag = "vip"
        filter.statuses = [.open]
        let (capped, undecided, alone) = try await fixture.database.read { [filter] db in
            let planner = SQLiteTicketListPlanning(pageCommonTag: 1, countCommonTag: 1)
            let counting = try planner.query(filter, viewer: nil, purpose: .pageCount, textMatches: nil, db)
            var tagOnly = filter
            tagOnly.statuses = []
            let single = try planner.query(tagOnly, viewer: nil, purpose: .pageCount, textMatches: nil, db)
            return (try SQLiteTicketListPlanning.recentTagCount(counting, cap: 3, db),
                    try SQLiteTicketListPlanning.recentTagCount(counting, cap: 4, db),
                    try SQLiteTicketListPlanning.recentTagCount(single, cap: 1, db))
        }
        #expect(capped == 4)
        #expect(undecided == nil)
        #expect(alone == nil)
    }

    @Test("text in balanced double quotes is an exact phrase; an unbalanced quote is a separator")
    func phrases() async throws {
        #expect(FullTextQuery("\"password reset\" now")?.expression == "\"password reset\" AND \"now\"*")
        #expect(FullTextQuery("\"password reset")?.expression == "\"password\" AND \"reset\"*")
        #expect(FullTextQuery("say\"hi")?.expression == "\"say\" AND \"hi\"*")
        #expect(FullTextQuery("\"\"\"") == nil)
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        try await fixture.ticket("Password reset loop", by: admin)
        try await fixture.ticket("Reset the router password", by: admin)
        var filter = TicketFilter()
        filter.text = "\"password reset\""
        #expect(try await fixture.tickets.list(TicketListRequest(filter: filter), for: admin).totalCount == 1)
        filter.text = "password reset"
        #expect(try await fixture.tickets.list(TicketListRequest(filter: filter), for: admin).totalCount == 2)
    }
}
