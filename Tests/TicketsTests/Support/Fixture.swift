import Foundation
@testable import Tickets

/// A fresh database (a file in a fresh temporary folder, or a fresh PostgreSQL database when
/// `HELPDESK_TEST_DATABASE` is set, see `TestDatabase`), with services on a manual clock.
final class Fixture: @unchecked Sendable {
    let folder: URL
    let database: Database
    let clock = ManualClock()
    let accounts: AccountService
    let tickets: TicketService
    let attachments: AttachmentStore

    /// `onSQLite`: an SQLite file even when the suite runs on PostgreSQL (tests that compare
    /// the two databases).
    init(onSQLite: Bool = false) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tickets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let location: Database.Location = onSQLite
            ? .sqlite(path: folder.appendingPathComponent("helpdesk.sqlite").path) : try TestDatabase.fresh(in: folder)
        database = try Database(location: location)
        attachments = try AttachmentStore(directory: folder.appendingPathComponent("attachments"))
        accounts = AccountService(database: database, now: clock.clock, hasher: PasswordHasher(iterations: 1_000))
        tickets = TicketService(database: database, attachments: attachments, now: clock.clock)
    }

    deinit {
        TestDatabase.drop(database.location)
        try? FileManager.default.removeItem(at: folder)
    }

    /// Creates an agent with `role` and returns it as an actor.
    func agent(_ name: String = "Ada", role: RoleID = .administrator) async throws -> Actor {
        let email = "\(name.lowercased().replacingOccurrences(of: " ", with: "."))@example.com"
        let agent = try await accounts.createAgent(name: name, email: email, password: "correct horse", role: role, by: .system)
        return .agent(try await accounts.principal(for: agent.id))
    }

    /// Creates a ticket with defaults overridable by `configure`.
    @discardableResult
    func ticket(_ subject: String = "Printer on fire", by actor: Actor = .system,
                _ configure: (inout NewTicket) -> Void = { _ in }) async throws -> Ticket {
        var draft = NewTicket(subject: subject, description: "Details about \(subject)",
                              requester: .email(name: "Grace", email: "grace@example.com"))
        configure(&draft)
        return try await tickets.createTicket(draft, by: actor).value
    }
}

/// Runs `body` expecting a `DomainError` with `code`; returns it (nil if none or another error).
func domainError(_ code: DomainError.Code, _ body: () async throws -> Void) async -> DomainError? {
    do {
        try await body()
        return nil
    } catch let error as DomainError {
        return error.code == code ? error : nil
    } catch {
        return nil
    }
}
