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
        try admin(server).execute("CREATE DATABASE \(name)")
        return try server.replacingDatabase(with: name)
    }

    /// Drops the database at `location` if it is a PostgreSQL one (ending its sessions).
    static func drop(_ location: Database.Location) {
        guard case .postgres(let url) = location, let server, let name = databaseName(url) else { return }
        try? admin(server).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func admin(_ server: PostgresURL) throws -> PostgresConnection {
        try PostgresConnection(url: try server.replacingDatabase(with: "postgres"))
    }

    private static func databaseName(_ url: PostgresURL) -> String? {
        let path = url.string.split(separator: "?").first.map(String.init) ?? url.string
        guard let name = path.split(separator: "/").last, name.hasPrefix("hd_test_") else { return nil }
        return String(name)
    }
}
