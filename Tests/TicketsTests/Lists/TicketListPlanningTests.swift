import Foundation
import Testing
@testable import Tickets

/// The documented meaning of a search (`TicketListPlanning`), checked through whichever
/// planner the database's dialect chooses: the exact plan (bulk, export) and a page's plan
/// find the same tickets, and both find what the documentation says.
@Suite("TicketListPlanning")
struct TicketListPlanningTests {
    private struct Seeded {
        let fixture: Fixture
        let ids: [String: TicketID]
    }

    /// Four tickets with their own requesters; ticket "reset" holds its words only in a note.
    private static func seeded() async throws -> Seeded {
        let fixture = try Fixture()
        let admin = try await fixture.agent()
        var ids: [String: TicketID] = [:]
        let rows: [(key: String, subject: String, description: String, name: String, email: String)] = [
            ("cafe", "Café printer jammed", "The e-mail server is down", "Ada Lovelace", "ada.lovelace@engine.test"),
            ("offline", "Printers offline", "Nothing prints", "Grace Hopper", "grace@navy.test"),
            ("refund", "Invoice refund", "Charged twice", "Zoë Bright", "zoe@bright.test"),
            ("queue", "Print queue stuck", "Jobs wait", "Bright Ideas", "team@ideas.test"),
        ]
        for row in rows {
            ids[row.key] = try await fixture.ticket(row.subject, by: admin) {
                $0.description = row.description
                $0.requester = .email(name: row.name, email: row.email)
            }.id
        }
        _ = try await fixture.tickets.addMessage(to: ids["offline"]!, NewMessage(kind: .note, body: "Password reset needed"),
                                                 by: admin)
        return Seeded(fixture: fixture, ids: ids)
    }

    /// The ids `text` finds with the exact plan and with a page's plan.
    private static func found(_ text: String, _ fixture: Fixture) async throws -> (exact: Set<TicketID>, page: Set<TicketID>) {
        var filter = TicketFilter()
        filter.text = text
        return try await fixture.database.read { [filter] db in
            let planner = TicketListPlanner.for(db)
            let exact = try TicketListRecord.ids(planner.query(filter, viewer: nil, purpose: .exact, textMatches: nil, db), db)
            let page = try planner.query(filter, viewer: nil, purpose: .page, textMatches: nil, db)
            let tickets = try TicketListRecord.page(page, sort: TicketSort(), after: nil, limit: 200, db).0
            return (Set(exact), Set(tickets.map(\.id)))
        }
    }

    @Test("words, prefixes, phrases, diacritics, message bodies, requesters and references mean the same in both plans")
    func searchMeaning() async throws {
        let seeded = try await Self.seeded()
        let ids = seeded.ids
        let number = try await seeded.fixture.tickets.ticket(ids["refund"]!, for: .system).number
        let expectations: [(String, Set<String>)] = [
            ("cafe", ["cafe"]),                     // without diacritics
            ("print", ["cafe", "offline", "queue"]), // the last word is a prefix
            ("\"print\"", ["queue"]),               // quoted: a whole word
            ("printer jam", ["cafe"]),              // all words, in one ticket
            ("jam printer", []),                    // "jam" typed first is a whole word: "jammed" is another
            ("e-mail", ["cafe"]),                   // one term of two tokens: a phrase
            ("\"mail server\"", ["cafe"]),
            ("\"server mail\"", []),
            ("password reset", ["offline"]),        // a note's body
            ("lovelace", ["cafe"]),                 // the requester's name
            ("ada engine", ["cafe"]),               // words of the name and of the email
            ("bright", ["refund", "queue"]),        // two requesters
            ("TKT-\(number)", ["refund"]),          // the reference
            ("#\(number)", ["refund"]),
            ("NEAR( OR", []),                       // operators are text
        ]
        for (text, keys) in expectations {
            let (exact, page) = try await Self.found(text, seeded.fixture)
            let expected = Set(keys.map { ids[$0]! })
            #expect(exact == expected, "exact plan for \(text)")
            #expect(page == expected, "page plan for \(text)")
        }
    }

    @Test("the search box's requesters are the matching contacts, newest first, at most the limit; none when none match")
    func contactOrder() async throws {
        let seeded = try await Self.seeded()
        let (zoe, ideas) = try await (seeded.fixture.tickets.ticket(seeded.ids["refund"]!, for: .system).requesterID,
                                      seeded.fixture.tickets.ticket(seeded.ids["queue"]!, for: .system).requesterID)
        let (both, one, none) = try await seeded.fixture.database.read { db in
            let planner = TicketListPlanner.for(db)
            let search = try #require(TicketSearchText("brig"))
            return (try planner.contactIDs(search, limit: 5, db), try planner.contactIDs(search, limit: 1, db),
                    try planner.contactIDs(try #require(TicketSearchText("#12")), limit: 5, db))
        }
        #expect(both == [ideas.rawValue, zoe.rawValue])
        #expect(one == [ideas.rawValue])
        #expect(none == [])
    }
}
