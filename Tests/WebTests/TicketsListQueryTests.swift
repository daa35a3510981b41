import Testing
import Tickets
@testable import Web
import Realtime

@Suite struct TicketsListQueryTests {
    @Test func repeatedAndCommaSeparatedValuesUnite() throws {
        let filter = try TicketListQuery.filter([("status", "open,pending"), ("status", "closed"), ("assignee", "none")])
        #expect(filter.statuses == [.open, .pending, .closed])
        #expect(filter.assignee == .unassigned)
    }

    @Test func presetsAreNarrowedByExplicitFilters() throws {
        let filter = try TicketListQuery.filter([("preset", "urgent-unassigned"), ("priority", "high")])
        #expect(filter.priorities == [.high] && filter.assignee == .unassigned)
    }

    @Test func sortsParseWithAnOptionalMinus() throws {
        #expect(try TicketListQuery.sort("-priority") == TicketSort(.priority, descending: true))
        #expect(try TicketListQuery.sort("due") == TicketSort(.due, descending: false))
        #expect(try TicketListQuery.sort(nil) == TicketSort())
    }

    @Test func badValuesNameTheirParameter() {
        #expect(throws: ProblemError.self) { try TicketListQuery.filter([("status", "nope")]) }
        for (name, value) in [("status", "x"), ("createdTo", "soon"), ("colour", "red"), ("limit", "0"), ("sort", "x")] {
            do {
                _ = try TicketListQuery.request([(name, value)])
                Issue.record("\(name)=\(value) was accepted")
            } catch let error as ProblemError {
                #expect(error.field == name && error.status == .unprocessableContent)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func dateOnlyUpperBoundsIncludeTheWholeDay() throws {
        let filter = try TicketListQuery.filter([("createdFrom", "2024-05-01"), ("createdTo", "2024-05-01")])
        #expect(filter.createdBefore!.timeIntervalSince(filter.createdFrom!) == 86_400)
    }
}
