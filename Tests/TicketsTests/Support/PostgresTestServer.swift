import Foundation
import Testing

/// The PostgreSQL server the PostgreSQL tests use: `HELPDESK_TEST_DATABASE`, a postgres:// URL
/// of a server where they may create and drop databases (`scripts/pg-cluster` or the recipe
/// in docs make a throwaway one). Unset: those suites are skipped, saying why.
enum PostgresTestServer {
    static let url: String? = ProcessInfo.processInfo.environment["HELPDESK_TEST_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
    static let skipReason: Comment = "HELPDESK_TEST_DATABASE is not set (a postgres:// URL of a server where tests may create databases)"

    /// The repository root (this file is Tests/TicketsTests/Support/PostgresTestServer.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `sql` with psql on `url` (stop at the first error, one transaction when `atomic`)
    /// and returns its rows, fields split at U+001F; NULL reads as nil.
    @discardableResult
    static func psql(_ url: String, _ sql: String, atomic: Bool = false) throws -> [[String?]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("psql-\(UUID().uuidString).sql")
        try sql.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var arguments = ["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "\u{1F}", "-R", "\u{1E}",
                         "-P", "null=\u{1C}", "-f", file.path]
        if atomic { arguments.append("--single-transaction") }
        let output = try run(arguments)
        guard !output.isEmpty else { return [] }
        return output.split(separator: "\u{1E}", omittingEmptySubsequences: false).map { record in
            record.split(separator: "\u{1F}", omittingEmptySubsequences: false).map { $0 == "\u{1C}" ? nil : String($0) }
        }
    }

    /// Runs a program found on PATH and returns its standard output without the final newline;
    /// throws with its standard error when it exits non-zero.
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = root
        // Standard error goes to a file, so only one pipe is read and neither can stall the child.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorData = (try? Data(contentsOf: errorFile)) ?? Data()
        let output = String(decoding: outputData, as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PostgresTestError(message: "\(arguments[0]) exited \(process.terminationStatus): "
                                    + String(decoding: errorData, as: UTF8.self) + output)
        }
        return output.hasSuffix("\n") ? String(output.dropLast()) : output
    }
}

struct PostgresTestError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A fresh database on the test server, dropped when this goes away.
final class PostgresTestDatabase: @unchecked Sendable {
    let name = "helpdesk_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let url: String
    private let server: String

    init() throws {
        guard let server = PostgresTestServer.url, var components = URLComponents(string: server) else {
            throw PostgresTestError(message: "HELPDESK_TEST_DATABASE is not a URL")
        }
        self.server = server
        components.path = "/" + name
        url = components.string!
        try PostgresTestServer.psql(server, "CREATE DATABASE \(name) ENCODING 'UTF8' TEMPLATE template0")
    }

    deinit { _ = try? PostgresTestServer.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    /// `sql` run on this database (see `PostgresTestServer.psql`).
    @discardableResult
    func psql(_ sql: String, atomic: Bool = false) throws -> [[String?]] {
        try PostgresTestServer.psql(url, sql, atomic: atomic)
    }
}
