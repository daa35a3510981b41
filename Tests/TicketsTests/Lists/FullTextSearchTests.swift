import Foundation
import Testing
@testable import Tickets

@Suite("Full-text search")
struct FullTextSearchTests {
    /// Seeds tickets with the given subjects and returns a search that counts a page's matches.
    private static func searcher(_ subjects: [String]) async throws -> (String) async throws -> Int {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        for subject in subjects { try await fixture.ticket(subject, by: admin) }
        return { text in
            var filter = TicketFilter()
            filter.text = text
            return try await fixture.tickets.list(TicketListRequest(filter: filter, limit: 200), for: admin).totalCount ?? -1
        }
    }

    @Test("every word but the last is a whole term; the last word typed is a prefix")
    func lastWordIsPrefix() async throws {
        let search = try await Self.searcher(["Printer jammed", "Print queue stuck", "Printers offline"])
        #expect(try await search("pri") == 3)
        #expect(try await search("PRINT") == 3)
        #expect(try await search("printer") == 2)
        #expect(try await search("print queue") == 1)
        #expect(try await search("print jam") == 0)
        #expect(try await search("printer jam") == 1)
        #expect(try await search("jammed printer") == 1)
    }

    @Test("a word in double quotes is exact even when typed last")
    func quotedWordIsExact() async throws {
        let search = try await Self.searcher(["Printer jammed", "Print queue stuck"])
        #expect(FullTextQuery("jam \"print\"")?.expression == "\"jam\" AND \"print\"")
        #expect(try await search("\"print\"") == 1)
        #expect(try await search("\"Printer\"") == 1)
    }

    @Test("the expression joins whole terms, phrases and the prefix with AND, quotes doubled")
    func expressions() {
        let query = FullTextQuery("NEAR( \"a b\" c* pre")
        #expect(query?.expression == "\"NEAR(\" AND \"a b\" AND \"c*\" AND \"pre\"*")
        #expect(query?.indexPrefix == "pre")
        #expect(query?.expression(completions: ["pre"]) == "\"NEAR(\" AND \"a b\" AND \"c*\" AND \"pre\"")
        #expect(query?.expression(completions: ["pre", "pr\"e"]) == "\"NEAR(\" AND \"a b\" AND \"c*\" AND (\"pre\" OR \"pr\"\"e\")")
        #expect(query?.expression(completions: []) == nil)
        #expect(FullTextQuery("\"a b\"")?.expression(completions: []) == "\"a b\"")
        #expect(FullTextQuery("Drücker")?.indexPrefix == nil)
        #expect(FullTextQuery("e-mail")?.indexPrefix == nil)
        #expect(FullTextQuery("Mail42")?.indexPrefix == "mail42")
    }

    @Test("completions are the index terms starting with the prefix; past the maximum, none",
          .enabled(if: !TestDatabase.isPostgres, "SQLite's FTS5 vocabulary tables"))
    func completions() async throws {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        try await fixture.ticket("zeta zetas zetabyte zed", by: admin)
        let many = (0...SQLiteTicketSearch.maxCompletions).map { "omega\($0)" }
        try await fixture.ticket(many.joined(separator: " "), by: admin)
        let (found, none, tooMany) = try await fixture.database.read { db in
            (try SQLiteTicketSearch.completions(of: "zeta", vocabulary: "ticket_fts_terms", db),
             try SQLiteTicketSearch.completions(of: "zz", vocabulary: "ticket_fts_terms", db),
             try SQLiteTicketSearch.completions(of: "omega", vocabulary: "ticket_fts_terms", db))
        }
        #expect(found == ["zeta", "zetabyte", "zetas"])
        #expect(none == [])
        #expect(tooMany == nil)
        var filter = TicketFilter()
        filter.text = "omega"
        #expect(try await fixture.tickets.list(TicketListRequest(filter: filter), for: admin).totalCount == 1)
        filter.text = "zet"
        #expect(try await fixture.tickets.list(TicketListRequest(filter: filter), for: admin).totalCount == 1)
    }

    @Test("a page and its count agree with the every-match search used by bulk commands")
    func pageMatchesExact() async throws {
        let (fixture, admin) = try await TicketListTests.seeded()
        for text in ["printer", "print", "printer iss", "\"printer\" -login", "nothing"] {
            var filter = TicketFilter()
            filter.text = text
            filter.statuses = [.open]
            let page = try await fixture.tickets.list(TicketListRequest(filter: filter, limit: 200), for: admin)
            let exact = filter
            let every = try await fixture.database.read { db in try TicketService.matchingIDs(exact, viewer: admin.agentID, db) }
            #expect(page.tickets.map(\.id).sorted { $0.rawValue < $1.rawValue } == every, "\(text)")
            #expect(page.totalCount == every.count)
        }
    }
}
