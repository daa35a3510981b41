import Foundation
import Testing
@testable import Tickets

@Suite("Ticket lists")
struct TicketListTests {
    /// 60 tickets cycling through every status, priority, category and channel; every third
    /// assigned to the admin; every fifth tagged `vip`; updated at distinct times.
    static func seeded() async throws -> (Fixture, Actor) {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        for index in 0..<60 {
            fixture.clock.advance(Double(index % 7) + 1)
            try await fixture.ticket("Issue \(index) \(index % 2 == 0 ? "printer" : "login")", by: admin) { draft in
                draft.status = TicketStatus.allCases[index % 6]
                draft.priority = TicketPriority.allCases[index % 4]
                draft.category = TicketCategory.allCases[index % 7]
                draft.channel = TicketChannel.allCases[index % 5]
                draft.assigneeID = index % 3 == 0 ? admin.agentID : nil
                draft.tags = index % 5 == 0 ? ["vip"] : []
                draft.dueAt = index % 4 == 0 ? nil : Date(timeIntervalSince1970: 1_800_000_000 + Double((index * 37) % 11) * 3600)
                draft.requester = .email(name: "R\(index % 4)", email: "r\(index % 4)@example.com")
            }
        }
        return (fixture, admin)
    }

    static func all(_ fixture: Fixture, _ request: TicketListRequest, _ actor: Actor) async throws -> [Ticket] {
        var request = request
        var result: [Ticket] = []
        repeat {
            let page = try await fixture.tickets.list(request, for: actor)
            result += page.tickets
            request.cursor = page.nextCursor
        } while request.cursor != nil
        return result
    }

    @Test("every sort pages through all matches with no duplicates or gaps, in order")
    func keysetPaging() async throws {
        let (fixture, admin) = try await Self.seeded()
        for field in TicketSortField.allCases {
            for descending in [true, false] {
                let sort = TicketSort(field, descending: descending)
                let paged = try await Self.all(fixture, TicketListRequest(sort: sort, limit: 7), admin)
                let oneShot = try await fixture.tickets.list(TicketListRequest(sort: sort, limit: 200), for: admin)
                #expect(paged.map(\.id) == oneShot.tickets.map(\.id), "\(field) \(descending)")
                #expect(Set(paged.map(\.id)).count == 60)
                #expect(oneShot.totalCount == 60)
            }
        }
        let byPriority = try await fixture.tickets.list(TicketListRequest(sort: TicketSort(.priority, descending: false), limit: 15), for: admin)
        #expect(byPriority.tickets.allSatisfy { $0.priority == .urgent })
        let byDue = try await Self.all(fixture, TicketListRequest(sort: TicketSort(.due, descending: false), limit: 9), admin)
        #expect(byDue.suffix(15).allSatisfy { $0.dueAt == nil })
    }

    @Test("each filter narrows the list and the total counts every match")
    func filters() async throws {
        let (fixture, admin) = try await Self.seeded()
        func count(_ configure: (inout TicketFilter) -> Void) async throws -> Int {
            var filter = TicketFilter()
            configure(&filter)
            let page = try await fixture.tickets.list(TicketListRequest(filter: filter, limit: 200), for: admin)
            #expect(page.tickets.count == page.totalCount)
            return page.totalCount ?? -1
        }
        #expect(try await count { $0.statuses = [.open, .closed] } == 20)
        #expect(try await count { $0.priorities = [.urgent] } == 15)
        #expect(try await count { $0.categories = [.bugReport] } == 8)
        #expect(try await count { $0.channels = [.internal] } == 12)
        #expect(try await count { $0.assignee = .me } == 20)
        #expect(try await count { $0.assignee = .agent(admin.agentID!) } == 20)
        #expect(try await count { $0.assignee = .unassigned } == 40)
        #expect(try await count { $0.assignee = .anyone } == 20)
        #expect(try await count { $0.tag = "VIP" } == 12)
        let requester = try await fixture.tickets.list(TicketListRequest(limit: 1), for: admin).tickets[0].requesterID
        #expect(try await count { $0.requesterID = requester } == 15)
        let middle = Date(timeIntervalSince1970: 1_700_000_000 + 120)
        let before = try await count { $0.createdBefore = middle }
        let after = try await count { $0.createdFrom = middle }
        #expect(before + after == 60 && before > 0 && after > 0)
        #expect(try await count { $0.updatedFrom = middle } == after)
        #expect(try await count { $0.statuses = [.open]; $0.assignee = .me; $0.tag = "vip" } == 2)
    }

    @Test("full-text search matches subjects and messages and survives hostile input")
    func fullText() async throws {
        let (fixture, admin) = try await Self.seeded()
        func search(_ text: String) async throws -> Int {
            var filter = TicketFilter()
            filter.text = text
            return try await fixture.tickets.list(TicketListRequest(filter: filter, limit: 200), for: admin).totalCount ?? -1
        }
        #expect(try await search("printer") == 30)
        #expect(try await search("PRINT") == 30)
        #expect(try await search("printer issue") == 30)
        var open = TicketFilter()
        open.statuses = [.open]  // a Closed ticket takes no replies
        let ticket = try await fixture.tickets.list(TicketListRequest(filter: open, limit: 1), for: admin).tickets[0]
        _ = try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: .reply, body: "the flux capacitor broke"), by: admin)
        #expect(try await search("capacitor") == 1)
        for hostile in ["\"", "*", "NEAR(", "-", "\"printer", "printer*", "a OR", "NOT", "(", ")", "col:printer", "^", "\"\"\"", "printer -login"] {
            _ = try await search(hostile)
        }
        #expect(try await search("-printer") == 30)
        #expect(try await search("  ") == 60)
        _ = try await fixture.tickets.deleteTicket(ticket.id, by: admin)
        #expect(try await search("capacitor") == 0)
    }

    @Test("presets: My Open Tickets and Urgent Unassigned")
    func presets() async throws {
        let (fixture, admin) = try await Self.seeded()
        let mine = try await fixture.tickets.list(preset: .myOpen, limit: 200, for: admin)
        #expect(mine.tickets.allSatisfy { $0.assigneeID == admin.agentID && $0.status.isActive })
        #expect(mine.totalCount == 20)
        let urgent = try await fixture.tickets.list(preset: .urgentUnassigned, limit: 200, for: admin)
        #expect(urgent.tickets.allSatisfy { $0.priority == .urgent && $0.assigneeID == nil && $0.status.isActive })
        #expect(urgent.totalCount == 5)
    }

    @Test("a cursor from another sort is refused as a validation error on cursor")
    func badCursor() async throws {
        let (fixture, admin) = try await Self.seeded()
        let page = try await fixture.tickets.list(TicketListRequest(limit: 5), for: admin)
        let error = await domainError(.validation) {
            _ = try await fixture.tickets.list(TicketListRequest(sort: TicketSort(.created), limit: 5, cursor: page.nextCursor), for: admin)
        }
        #expect(error?.field == "cursor")
        #expect(await domainError(.validation) { _ = try await fixture.tickets.list(TicketListRequest(cursor: "garbage!"), for: admin) } != nil)
    }

    @Test("bulk update changes every selected ticket in one go, audits each, and skips refused transitions")
    func bulkUpdate() async throws {
        let (fixture, admin) = try await Self.seeded()
        var filter = TicketFilter()
        filter.priorities = [.high]
        let result = try await fixture.tickets.bulkUpdate(.matching(filter), BulkChange(status: .pending, category: .billing), by: admin)
        #expect(result.value.updated.count == 9)
        #expect(result.value.skipped.count == 5)
        #expect(result.value.skipped.allSatisfy { $0.reason.contains("Closed") })
        let updated = result.value.updated[0]
        let timeline = try await fixture.tickets.timeline(updated.id, for: admin)
        #expect(timeline.filter { $0.action == .bulkUpdated }.count >= 1)
        let ids = result.value.updated.prefix(3).map(\.id)
        let assigned = try await fixture.tickets.bulkUpdate(.ids(ids + ids), BulkChange(assigneeID: .some(nil)), by: admin)
        #expect(assigned.value.updated.allSatisfy { $0.assigneeID == nil })
    }

    @Test("bulk delete removes the selection in one transaction and audits each ticket")
    func bulkDelete() async throws {
        let (fixture, admin) = try await Self.seeded()
        var filter = TicketFilter()
        filter.tag = "vip"
        let result = try await fixture.tickets.bulkDelete(.matching(filter), by: admin)
        #expect(result.value.count == 12)
        #expect(result.events.count == 12)
        #expect(try await fixture.tickets.list(TicketListRequest(), for: admin).totalCount == 48)
        let timeline = try await fixture.tickets.timeline(result.value[0], for: admin)
        #expect(timeline.last?.action == .bulkDeleted)
        #expect(timeline.last?.before?.contains("\"vip\"") == true)
    }

    @Test("CSV export quotes per RFC 4180 and neutralises formula cells")
    func csvExport() async throws {
        #expect(CSVWriter.field("plain") == "plain")
        #expect(CSVWriter.field("a,b") == "\"a,b\"")
        #expect(CSVWriter.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVWriter.field("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVWriter.field("=1+1") == "'=1+1")
        #expect(CSVWriter.field("+1") == "'+1")
        #expect(CSVWriter.field("-1") == "'-1")
        #expect(CSVWriter.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVWriter.field("\tx") == "'\tx")
        #expect(CSVWriter.field("\rx") == "\"'\rx\"")
        #expect(CSVWriter.field("=HYPERLINK(\"x\",\"y\")") == "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"")
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        try await fixture.ticket("=cmd|' /C calc'!A0, \"quoted\"", by: admin)
        let csv = try await fixture.tickets.exportCSV(filter: TicketFilter(), byteOrderMark: true, for: admin)
        #expect(csv.hasPrefix("\u{FEFF}Reference,Subject,Status"))
        #expect(csv.contains("TKT-001,\"'=cmd|' /C calc'!A0, \"\"quoted\"\"\",Open,Medium,General,Web,Grace,grace@example.com"))
        #expect(csv.hasSuffix("\r\n"))
    }
}
