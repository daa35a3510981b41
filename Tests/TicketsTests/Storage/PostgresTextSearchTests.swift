import Foundation
import Testing
@testable import Tickets

@Suite("PostgreSQL text search queries")
struct PostgresTextSearchQueryTests {
    @Test("whole words and the prefix are ANDed; a phrase is held to one field of a ticket")
    func ticketQuery() {
        let tokens = PostgresTextSearch.Tokens(terms: [["printer"], ["e", "mail"]], prefix: ["jam"])
        #expect(PostgresTextSearch.ticketQuery(tokens) == "'printer' & ('e':A <-> 'mail':A | 'e':B <-> 'mail':B) & 'jam':*")
        #expect(PostgresTextSearch.messageQuery(tokens) == "'printer' & ('e' <-> 'mail') & 'jam':*")
    }

    @Test("a prefix of several tokens is a phrase whose last token is a prefix")
    func phrasePrefix() {
        let tokens = PostgresTextSearch.Tokens(prefix: ["e", "ma"])
        #expect(PostgresTextSearch.ticketQuery(tokens) == "('e':A <-> 'ma':*A | 'e':B <-> 'ma':*B)")
        #expect(PostgresTextSearch.messageQuery(tokens) == "('e' <-> 'ma':*)")
    }

    @Test("a piece without tokens matches nothing, like an empty FTS5 phrase; no words, no query")
    func emptyPieces() {
        #expect(PostgresTextSearch.ticketQuery(.init(terms: [["a"], []])) == nil)
        #expect(PostgresTextSearch.messageQuery(.init()) == nil)
        #expect(PostgresTextSearch.contactQuery(.init(contactTerms: [["ada"]], contactPrefix: ["lov"])) == "'ada' & 'lov':*")
    }

    @Test("lexemes are quoted with quotes doubled and backslashes escaped")
    func quoting() {
        #expect(PostgresTextSearch.lexeme("it's") == "'it''s'")
        #expect(PostgresTextSearch.lexeme("a\\b") == "'a\\\\b'")
    }

    @Test("a page's candidates are one array binding")
    func candidateCondition() {
        let (condition, bindings) = PostgresTextSearch.candidateCondition([3, 10])
        #expect(condition == "t.id = ANY (CAST(? AS BIGINT[]))")
        #expect(bindings == [.text("{3,10}")])
    }
}

@Suite("PostgreSQL text search", .enabled(if: PostgresTestServer.url != nil, PostgresTestServer.skipReason))
struct PostgresTextSearchTests {
    /// Tickets, messages and requesters with plain, accented, mixed-case, hyphenated and
    /// email text; the same rows in a fresh SQLite database and a fresh PostgreSQL one.
    final class Shared: @unchecked Sendable {
        let fixture: Fixture
        let admin: Actor
        let postgres: PostgresTestDatabase
        let db: PsqlConnection

        init() async throws {
            fixture = try Fixture(onSQLite: true)
            admin = try await fixture.agent()
            let tickets: [(String, String, String, String, [String])] = [
                ("Printer jammed", "Paper stuck in tray 2", "Ada Lovelace", "ada.lovelace@example.com", ["The printer is still jammed"]),
                ("Print queue stuck", "Nothing prints since Monday", "Grace Hopper", "grace@navy.mil", []),
                ("Printers offline", "All printers on floor 3", "Ada Lovelace", "ada.lovelace@example.com", ["Invoice 4711 attached"]),
                ("Password reset", "Cannot reset my password", "Zoë Ünal", "zoe.unal@beispiel.de", ["Reset link sent"]),
                ("Reset password please", "Locked out", "Jean-Luc Picard", "jl@enterprise.org", []),
                ("Café crème brûlée", "Menu for the CAFÉ AU LAIT party", "Zoë Ünal", "zoe.unal@beispiel.de", []),
                ("E-mail not delivered", "Mail to ada.lovelace@example.com bounced", "Grace Hopper", "grace@navy.mil",
                 ["Office in Zürich; see MacBook Pro logs"]),
                ("Ends with foo bar", "baz starts the description", "Jean-Luc Picard", "jl@enterprise.org", ["Straße und Øresund"]),
                ("MacBook Pro Won't Boot", "Grey screen after the update", "Ada Lovelace", "ada.lovelace@example.com", []),
            ]
            for (subject, description, name, email, messages) in tickets {
                let ticket = try await fixture.ticket(subject, by: admin) { draft in
                    draft.description = description
                    draft.requester = .email(name: name, email: email)
                }
                for (index, body) in messages.enumerated() {
                    try await fixture.tickets.addMessage(to: ticket.id, NewMessage(kind: index % 2 == 0 ? .reply : .note, body: body),
                                                         by: admin)
                }
            }
            postgres = try PostgresTestDatabase()
            try postgres.psql(PostgresSchema.baseline, atomic: true)
            db = PsqlConnection(url: postgres.url)
            try postgres.psql(try await Self.copy(from: fixture.database), atomic: true)
        }

        /// INSERT statements copying the rows search reads from SQLite, ids kept.
        static func copy(from database: Database) async throws -> String {
            let tables = [
                ("agents", "id, name, email, password_hash, role_id, active, away, created_at"),
                ("contacts", "id, name, email, created_at"),
                ("tickets", """
                    id, number, subject, description, status, priority, priority_rank, category, channel, due_at,
                    requester_id, assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version, merged_into_id
                    """),
                ("messages", "id, ticket_id, kind, author_agent_id, author_contact_id, body, created_at"),
            ]
            return try await database.read { db in
                var statements: [String] = []
                for (table, columns) in tables {
                    let marks = Array(repeating: "?", count: columns.split(separator: ",").count).joined(separator: ", ")
                    for row in try db.query("SELECT \(columns) FROM \(table) ORDER BY id") {
                        statements.append(PsqlConnection.inline("INSERT INTO \(table) (\(columns)) VALUES (\(marks));", row.values))
                    }
                }
                return statements.joined(separator: "\n")
            }
        }

        /// The ids SQLite's search finds for `text` (the list's `q`; every match at this size).
        func sqliteTickets(_ text: String) async throws -> Set<Int64> {
            var filter = TicketFilter()
            filter.text = text
            let page = try await fixture.tickets.list(TicketListRequest(filter: filter, limit: TicketListRequest.maxLimit), for: admin)
            return Set(page.tickets.map(\.id.rawValue))
        }

        /// The ids PostgreSQL finds for `text` through its list planner: every match (bulk
        /// commands, export) and one list page.
        func postgresTickets(_ text: String) throws -> (exact: Set<Int64>, page: Set<Int64>) {
            var filter = TicketFilter()
            filter.text = text
            let planner = TicketListPlanner.for(db)
            #expect(planner is PostgresTicketListPlanning)
            let exact = try planner.query(filter, viewer: nil, purpose: .exact, textMatches: nil, db)
            let page = try planner.query(filter, viewer: nil, purpose: .page, textMatches: nil, db)
            let (tickets, _) = try TicketListRecord.page(page, sort: TicketSort(), after: nil, limit: TicketListRequest.maxLimit, db)
            return (Set(try TicketListRecord.ids(exact, db).map(\.rawValue)), Set(tickets.map(\.id.rawValue)))
        }

        /// Every page of `filter`, `limit` tickets at a time, on SQLite and on PostgreSQL.
        func pages(_ filter: TicketFilter, sort: TicketSort, limit: Int) async throws -> (sqlite: [Int64], postgres: [Int64]) {
            var sqlite: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await fixture.tickets.list(TicketListRequest(filter: filter, sort: sort, limit: limit, cursor: cursor),
                                                          for: admin)
                sqlite += page.tickets.map(\.id.rawValue)
                cursor = page.nextCursor
            } while cursor != nil
            var postgres: [Int64] = []
            var after: ListCursor?
            let query = try TicketListPlanner.for(db).query(filter, viewer: nil, purpose: .page, textMatches: nil, db)
            repeat {
                let (tickets, next) = try TicketListRecord.page(query, sort: sort, after: after, limit: limit, db)
                postgres += tickets.map(\.id.rawValue)
                after = next
            } while after != nil
            return (sqlite, postgres)
        }
    }

    static let queries = [
        "printer", "print", "PRINT", "pri", "printers", "printer jam", "jammed printer", "print jam", "\"print\"",
        "\"Printer\"", "\"password reset\"", "password reset", "reset pass", "\"reset password\"", "cafe", "CAFÉ",
        "creme brulee", "brûl", "café au lait", "\"au lait party\"", "e-mail", "e-ma", "email", "mail",
        "ada.lovelace@example.com", "lovelace", "ada love", "Ada", "zoe", "zoë ünal", "UNAL", "beispiel.de", "jean-luc",
        "picard jl", "TKT-2", "tkt-2", "2", "#2", "TKT-999", "4711", "invoice 47", "zurich", "Zür", "straße", "øresund",
        "\"bar baz\"", "\"foo bar\"", "bar baz", "won't", "macbook pro", "\"macbook pro\" boot", "nothing matches this",
        "NEAR( printer", "print*", "-jammed", "grace@navy", "navy.mil",
    ]

    /// A few answers spelled out, so agreement cannot be two empty sets.
    static let known: [String: Set<Int64>] = [
        "cafe": [6], "brûl": [6], "\"bar baz\"": [], "bar baz": [8], "e-ma": [7], "zurich": [7], "TKT-2": [2],
        "\"password reset\"": [4], "password reset": [4, 5], "lovelace": [1, 3, 7, 9], "4711": [3], "øresund": [8],
    ]

    @Test("every query finds the same tickets on PostgreSQL as on SQLite, as a page and as every match")
    func sameTicketsAsSQLite() async throws {
        let shared = try await Shared()
        for text in Self.queries {
            let expected = try await shared.sqliteTickets(text)
            if let known = Self.known[text] { #expect(expected == known, "\(text)") }
            let found = try shared.postgresTickets(text)
            #expect(found.exact == expected, "\(text)")
            #expect(found.page == expected, "\(text)")
        }
    }

    @Test("the search box names the same requesters, newest first")
    func sameContactsAsSQLite() async throws {
        let shared = try await Shared()
        for text in Self.queries {
            let expected = try await shared.fixture.tickets.search(text, for: shared.admin).contacts.map(\.id.rawValue)
            let found = try TicketSearchText(text).map {
                try PostgresTextSearch.contactIDs($0, limit: TicketService.searchContactLimit, shared.db)
            } ?? []
            #expect(found == expected, "\(text)")
        }
    }

    @Test("a page considers only the newest matching tickets and messages, up to the limit")
    func newestFirst() async throws {
        let shared = try await Shared()
        let search = try #require(TicketSearchText("print"))
        // Tickets 1-3 match in their own text, ticket 1 also by its message: the newest two.
        #expect(try PostgresTextSearch.candidates(search, limit: 2, maxContacts: 0, shared.db) == [1, 2, 3])
        let printers = try #require(TicketSearchText("printers"))
        #expect(try PostgresTextSearch.candidates(printers, limit: 1, maxContacts: 0, shared.db) == [3])
    }

    @Test("the GIN step finds the same newest matches as the primary-key walk when the newest rows hold too few")
    func windowFallback() async throws {
        let shared = try await Shared()
        for text in Self.queries {
            guard let search = TicketSearchText(text) else { continue }
            // With a one-row window the GIN step always runs; the default window holds the
            // whole fixture, so there it never does.
            for limit in [2] {
                let walked = try PostgresTextSearch.candidates(search, limit: limit, shared.db)
                #expect(try PostgresTextSearch.candidates(search, limit: limit, window: 1, shared.db) == walked, "\(text) \(limit)")
                #expect(try PostgresTextSearch.contactIDs(search, limit: limit, window: 1, shared.db)
                        == PostgresTextSearch.contactIDs(search, limit: limit, shared.db), "\(text) \(limit)")
            }
        }
    }

    @Test("keyset pages of a search with filters come in the same order on both databases")
    func samePages() async throws {
        let shared = try await Shared()
        var filter = TicketFilter()
        filter.text = "p"
        filter.statuses = [.open]
        let (sqlite, postgres) = try await shared.pages(filter, sort: TicketSort(), limit: 2)
        #expect(sqlite.count > 2)
        #expect(postgres == sqlite)
    }

    @Test("the stored vectors follow updates of subjects, bodies and names")
    func vectorsFollowUpdates() async throws {
        let shared = try await Shared()
        try shared.postgres.psql("""
            UPDATE tickets SET subject = 'Scanner broken' WHERE id = 2;
            UPDATE messages SET body = 'Toner ordered' WHERE ticket_id = 3;
            UPDATE contacts SET name = 'Rear Admiral Hopper' WHERE email = 'grace@navy.mil';
            """)
        #expect(try shared.postgresTickets("scanner").exact == [2])
        #expect(try shared.postgresTickets("invoice").exact == [])
        #expect(try shared.postgresTickets("toner").exact == [3])
        #expect(try shared.postgresTickets("admiral").exact == [2, 7])
    }
}
