import Foundation
import Testing
@testable import Tickets

/// Where the tests' databases live: SQLite files by default; with
/// `HELPDESK_TEST_DATABASE=postgres://user@host:port/` (a server URL; `scripts/pg-cluster
/// start` prints one) each test gets a fresh PostgreSQL database, dropped afterwards, so the
/// whole suite runs on PostgreSQL.
enum TestDatabase {
    /// The PostgreSQL server named by `HELPDESK_TEST_DATABASE`, if any.
    static let server: PostgresURL? = {
        guard let value = ProcessInfo.processInfo.environment["HELPDESK_TEST_DATABASE"], !value.isEmpty else { return nil }
        do { return try PostgresURL(value) } catch { fatalError("HELPDESK_TEST_DATABASE: \(error)") }
    }()

    /// True when the suite runs on PostgreSQL.
    static var isPostgres: Bool { server != nil }

    /// Why PostgreSQL-only tests are skipped (Swift Testing prints it).
    static let skipReason: Comment = "set HELPDESK_TEST_DATABASE=postgres://user@host:port/ to run the PostgreSQL tests (scripts/test --postgres does)"

    /// A new, empty database: a file in `folder`, or a fresh PostgreSQL database.
    static func fresh(in folder: URL) throws -> Database.Location {
        guard let server else { return .sqlite(path: folder.appendingPathComponent("helpdesk.sqlite").path) }
        return .postgres(try createPostgres(on: server))
    }

    /// Creates a uniquely named database on `server` and returns its URL.
    static func createPostgres(on server: PostgresURL) throws -> PostgresURL {
        let name = "hd_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try server.createDatabase(named: name)
        return try server.replacingDatabase(with: name)
    }

    /// Drops the database at `location` if it is a PostgreSQL one (ending its sessions).
    static func drop(_ location: Database.Location) {
        guard case .postgres(let url) = location, let server, url.databaseName.hasPrefix("hd_test_") else { return }
        try? server.dropDatabase(named: url.databaseName)
    }
}
