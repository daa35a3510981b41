import Foundation
import Testing
@testable import Tickets

/// The bulk loader on PostgreSQL (COPY) against the same load on SQLite (the records'
/// statements), on the server in `HELPDESK_TEST_DATABASE`.
@Suite("Bulk loader on PostgreSQL", .enabled(if: TestDatabase.isPostgres, TestDatabase.skipReason))
struct BulkLoaderTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    /// Two agents, two contacts, three tickets (tags, messages, an escaped body) over two
    /// commits: the same calls the generator makes.
    static func load(_ loader: BulkLoader) throws {
        let agent = try loader.addAgent(name: "Ada", email: "Ada@Example.com", passwordHash: "hash", role: .agent, at: start)
        _ = try loader.addAgent(name: "Bob", email: "bob@example.com", passwordHash: "hash", role: .supervisor, at: start)
        let grace = try loader.addContact(name: "Grace", email: "Grace@Customer.example", at: start)
        let linus = try loader.addContact(name: "Linus", email: "linus@customer.example", at: start)
        try loader.commit()
        for index in 0..<3 {
            var draft = NewTicket(subject: "Printer \(index) on fire", description: "Paper\tjam\nagain \\ é",
                                  requester: .contact(grace))
            draft.status = [.open, .resolved, .closed][index]
            draft.priority = [.low, .high, .urgent][index]
            draft.assigneeID = index == 0 ? nil : agent
            draft.dueAt = index == 1 ? start.addingTimeInterval(86_400) : nil
            draft.tags = index == 2 ? [] : ["billing", "vip"]
            let created = start.addingTimeInterval(Double(index) * 3_600)
            let id = try loader.addTicket(draft, requester: index == 1 ? linus : grace, createdAt: created,
                                          updatedAt: created.addingTimeInterval(600), firstResponseAt: index == 0 ? nil : created)
            try loader.addMessage(to: id, kind: .reply, author: .requester(grace), body: "zebra number \(index)", at: created)
            try loader.addMessage(to: id, kind: .note, author: .agent(agent), body: "a note\r\nwith lines", at: created)
            if index == 1 { try loader.commit() }
        }
        try loader.finish()
    }

    static let tables = [
        "SELECT id, \(TicketRecord.insertedColumns.joined(separator: ", ")) FROM tickets ORDER BY id",
        "SELECT ticket_id, tag FROM ticket_tags ORDER BY ticket_id, tag",
        "SELECT id, \(MessageRecord.insertedColumns.joined(separator: ", ")) FROM messages ORDER BY id",
        "SELECT id, \(AuditLog.insertedColumns.joined(separator: ", ")) FROM audit_log ORDER BY id",
        "SELECT id, name, email, role_id FROM agents ORDER BY id",
        "SELECT id, name, email FROM contacts ORDER BY id",
        "SELECT name, value FROM counters ORDER BY name",
    ]

    @Test("PostgreSQL is loaded with exactly the rows SQLite's loader writes through the records")
    func sameRowsAsSQLite() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("helpdesk.sqlite").path
        let url = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(url)) }
        try Self.load(try BulkLoader(path: path))
        try Self.load(try BulkLoader(location: .postgres(url)))
        let sqlite = try SQLiteConnection(path: path)
        let postgres = try PostgresConnection(url: url)
        for sql in Self.tables {
            let expected = try sqlite.query(sql).map(\.values)
            #expect(!expected.isEmpty, "\(sql)")
            #expect(try postgres.query(sql).map(\.values) == expected, "\(sql)")
        }
        // The suspended indexes are back: the same names as a freshly migrated database.
        let indexes = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"
        let fresh = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(fresh)) }
        _ = try Database(location: .postgres(fresh))
        #expect(try postgres.query(indexes).map(\.values) == PostgresConnection(url: fresh).query(indexes).map(\.values))
    }

    @Test("after a PostgreSQL load the services number and identify new rows after the loaded ones and search finds loaded words")
    func servicesContinue() async throws {
        let url = try TestDatabase.createPostgres(on: TestDatabase.server!)
        defer { TestDatabase.drop(.postgres(url)) }
        #expect(throws: DomainError.self) {
            try Self.load(try BulkLoader(location: .postgres(url)))
            _ = try BulkLoader(location: .postgres(url))  // a second load is refused
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try Database(location: .postgres(url))
        let service = TicketService(database: database, attachments: try AttachmentStore(directory: folder), now: { Self.start })
        let created = try await service.createTicket(
            NewTicket(subject: "New", description: "After the load", requester: .email(name: "Grace", email: "grace@customer.example")),
            by: .system).value
        #expect(created.id == TicketID(4))
        #expect(created.number == 4)
        #expect(created.requesterID == ContactID(1))  // the loaded contact, found by its lower-cased email
        var filter = TicketFilter()
        filter.text = "zebra"
        let found = try await service.list(TicketListRequest(filter: filter, limit: 10), for: .system)
        #expect(found.tickets.map(\.id) == [TicketID(3), TicketID(2), TicketID(1)])
    }
}
