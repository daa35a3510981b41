import Foundation
import Testing
@testable import Tickets

@Suite("Ticket search (search box, merge and link dialogs, list q)")
struct TicketSearchTests {
    /// Three tickets from three requesters; the second is TKT-002.
    private static func desk() async throws -> (Fixture, Actor, [Ticket]) {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        let requesters = [("Grace Hopper", "grace@navy.example"), ("Ada Lovelace", "ada.lovelace@engine.example"),
                          ("José Núñez", "jose@correo.example")]
        var tickets: [Ticket] = []
        for (index, (name, email)) in requesters.enumerated() {
            tickets.append(try await fixture.ticket(["Printer jammed", "Invoice twice", "Login fails"][index], by: admin) {
                $0.requester = .email(name: name, email: email)
            })
            fixture.clock.advance(60)
        }
        return (fixture, admin, tickets)
    }

    @Test("a reference, a bare number or #number is an exact hit, listed first")
    func referenceIsExact() async throws {
        let (fixture, admin, tickets) = try await Self.desk()
        for text in ["TKT-002", "tkt-002", "tkt-2", "2", "#2", " 2 "] {
            let result = try await fixture.tickets.search(text, for: admin)
            #expect(result.exact?.id == tickets[1].id, "\(text)")
            #expect(result.tickets.first?.id == tickets[1].id, "\(text)")
        }
        #expect(try await fixture.tickets.search("TKT-999", for: admin).exact == nil)
        #expect(try await fixture.tickets.search("2 printers", for: admin).exact == nil)
    }

    @Test("requesters match by the words of their name or email, the last word typed as a prefix, accents folded")
    func requesterNameAndEmail() async throws {
        let (fixture, admin, tickets) = try await Self.desk()
        let cases: [(String, TicketID)] = [("Grace", tickets[0].id), ("hop", tickets[0].id), ("ada love", tickets[1].id),
                                            ("ada.lovelace@engine", tickets[1].id), ("engine.example", tickets[1].id),
                                            ("jose nunez", tickets[2].id), ("Núñ", tickets[2].id), ("correo", tickets[2].id)]
        for (text, id) in cases {
            let result = try await fixture.tickets.search(text, for: admin)
            #expect(result.tickets.map(\.id) == [id], "\(text)")
            #expect(result.contacts.count == 1, "\(text)")
        }
        #expect(try await fixture.tickets.search("ada grace", for: admin).tickets.isEmpty)
        #expect(try await fixture.tickets.search("lovelace@navy", for: admin).tickets.isEmpty)
        #expect(try await fixture.tickets.search("lovel", for: admin).tickets.map(\.id) == [tickets[1].id])
        #expect(try await fixture.tickets.search("lovelacex", for: admin).tickets.isEmpty)
        #expect(try await fixture.tickets.search("ad lovelace", for: admin).tickets.isEmpty)
    }

    @Test("words match subjects as before; the last word is a prefix")
    func words() async throws {
        let (fixture, admin, tickets) = try await Self.desk()
        #expect(try await fixture.tickets.search("invoice", for: admin).tickets.map(\.id) == [tickets[1].id])
        #expect(try await fixture.tickets.search("prin", for: admin).tickets.map(\.id) == [tickets[0].id])
        #expect(try await fixture.tickets.search("lo", for: admin).tickets.map(\.id) == [tickets[2].id, tickets[1].id])
        #expect(try await fixture.tickets.search("\"login fails\"", for: admin).tickets.map(\.id) == [tickets[2].id])
    }

    @Test("the list's text filter, bulk selection and export find the same tickets as the search box")
    func listUsesTheSameSearch() async throws {
        let (fixture, admin, tickets) = try await Self.desk()
        for text in ["TKT-003", "ada", "grace@navy", "invoice"] {
            let filter = { var filter = TicketFilter(); filter.text = text; return filter }()
            let page = try await fixture.tickets.list(TicketListRequest(filter: filter), for: admin)
            let box = try await fixture.tickets.search(text, for: admin)
            #expect(Set(page.tickets.map(\.id)) == Set(box.tickets.map(\.id)), "\(text)")
            let all = try await fixture.database.read { db in try TicketService.matchingIDs(filter, viewer: nil, db) }
            #expect(Set(all) == Set(box.tickets.map(\.id)), "\(text)")
        }
        _ = tickets
    }

    @Test("a renamed requester is found by the new name only; a new one at once")
    func contactIndexFollowsChanges() async throws {
        let (fixture, admin, _) = try await Self.desk()
        try await fixture.database.write { db in _ = try db.run("UPDATE contacts SET name = 'Grace Brewster' WHERE email = 'grace@navy.example'") }
        #expect(try await fixture.tickets.search("brewster", for: admin).tickets.count == 1)
        #expect(try await fixture.tickets.search("hopper", for: admin).tickets.isEmpty)
        try await fixture.ticket("Another", by: admin) { $0.requester = .email(name: "Zed Zulu", email: "zz@example.org") }
        #expect(try await fixture.tickets.search("zulu", for: admin).tickets.count == 1)
    }

    @Test("empty text is an empty result; over-long or NUL text is a validation error; agents need ticket.view")
    func limits() async throws {
        let (fixture, admin, _) = try await Self.desk()
        let empty = try await fixture.tickets.search("  \"\" ", for: admin)
        #expect(empty.tickets.isEmpty && empty.exact == nil && empty.contacts.isEmpty)
        #expect(await domainError(.validation) { _ = try await fixture.tickets.search(String(repeating: "a", count: 501), for: admin) }?.field == "q")
        #expect(await domainError(.validation) { _ = try await fixture.tickets.search("a\u{0}b", for: admin) }?.field == "q")
        #expect(await domainError(.forbidden) { _ = try await fixture.tickets.search("a", for: .requester(ContactID(1))) } != nil)
    }

    @Test("search text parsing: reference numbers and the requester expression")
    func parsing() {
        #expect(TicketSearchText.referenceNumber("TKT-0042") == 42)
        #expect(TicketSearchText.referenceNumber("#7") == 7)
        #expect(TicketSearchText.referenceNumber("0") == nil)
        #expect(TicketSearchText.referenceNumber("12a") == nil)
        #expect(TicketSearchText.referenceNumber("99999999999999999999") == nil)
        #expect(TicketSearchText("ada.lovelace@engine")?.contactExpression == "\"ada\" AND \"lovelace\" AND \"engine\"*")
        #expect(TicketSearchText("\"OR\" NEAR(")?.contactExpression == "\"OR\" AND \"NEAR\"*")
        #expect(TicketSearchText("ada lovel")?.contactExpression(completions: ["lovelace", "loveland"])
                == "\"ada\" AND (\"lovelace\" OR \"loveland\")")
        #expect(TicketSearchText("ada lov")?.contactVocabularyPrefix == nil)
        #expect(TicketSearchText("ada LOVEL")?.contactVocabularyPrefix == "lovel")
        #expect(TicketSearchText("José Núñ")?.contactVocabularyPrefix == nil)
        #expect(TicketSearchText("  ") == nil)
    }

    @Test("merging the search indexes is a no-op on a small index and keeps results")
    func mergeSteps() async throws {
        let (fixture, admin, tickets) = try await Self.desk()
        for index in 0..<12 { try await fixture.ticket("Printer \(index)", by: admin) }
        while try await fixture.database.mergeSearchIndexes(pages: 16) {}
        #expect(try await fixture.tickets.search("printer", for: admin).tickets.count == 10)
        #expect(try await fixture.tickets.search("jammed", for: admin).tickets.map(\.id) == [tickets[0].id])
    }
}
