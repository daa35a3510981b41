import Foundation
import Tickets

/// A mistake on the command line.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// `--name value` options and bare arguments, taken one by one so leftovers can be reported.
struct Options {
    /// Options that take no value.
    static let flagNames: Set<String> = ["--password-stdin", "--force", "--test-clock", "--secure-cookies", "--verify-only"]
    private var pairs: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private var positionals: [String] = []

    /// Splits `arguments` into `--name value` pairs, flags and bare arguments. Throws
    /// `UsageError` for an option missing its value.
    init(_ arguments: [String]) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if !argument.hasPrefix("--") {
                positionals.append(argument)
            } else if let equals = argument.firstIndex(of: "=") {
                pairs[String(argument[..<equals])] = String(argument[argument.index(after: equals)...])
            } else if Self.flagNames.contains(argument) {
                flags.insert(argument)
            } else {
                guard let value = iterator.next() else { throw UsageError("\(argument) needs a value") }
                pairs[argument] = value
            }
        }
    }

    /// The value of `--name`, removed so `finish()` does not report it.
    mutating func take(_ name: String) throws -> String? {
        pairs.removeValue(forKey: name)
    }

    /// The value of `--name`, or a `UsageError` naming it when absent or empty.
    mutating func require(_ name: String) throws -> String {
        guard let value = pairs.removeValue(forKey: name), !value.isEmpty else { throw UsageError("\(name) is required") }
        return value
    }

    /// The value of `--name` as a port number (0...65535).
    mutating func takeInt(_ name: String) throws -> Int? {
        guard let text = pairs.removeValue(forKey: name) else { return nil }
        guard let value = Int(text), value >= 0, value <= 65535 else { throw UsageError("\(name) must be a port number, got '\(text)'") }
        return value
    }

    /// `--database URL`, else the `HELPDESK_DATABASE` environment variable: a PostgreSQL URL
    /// (`postgres://user:password@host:port/database`). Nil when neither is set: SQLite in the
    /// data folder. Throws `UsageError` for anything that is not a PostgreSQL URL libpq reads
    /// (the message never repeats a password).
    mutating func takeDatabase(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Database.Location? {
        let option = pairs.removeValue(forKey: "--database")
        guard let value = option ?? environment["HELPDESK_DATABASE"].flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        let name = option != nil ? "--database" : "HELPDESK_DATABASE"
        guard PostgresURL.isPostgresURL(value) else {
            throw UsageError("\(name) takes a PostgreSQL URL, postgres://user@host:port/database (without it the database is SQLite in the data folder)")
        }
        do {
            return .postgres(try PostgresURL(value))
        } catch let error as PostgresError {
            throw UsageError("\(name): \(error.message)")
        }
    }

    /// Whether the flag was given.
    mutating func takeFlag(_ name: String) -> Bool {
        flags.remove(name) != nil
    }

    /// The next bare argument, if any.
    mutating func takePositional() -> String? {
        positionals.isEmpty ? nil : positionals.removeFirst()
    }

    /// Throws `UsageError` naming the first option or argument nobody took.
    func finish() throws {
        if let unknown = pairs.keys.sorted().first ?? flags.sorted().first {
            throw UsageError("unknown option \(unknown)")
        }
        if let extra = positionals.first { throw UsageError("unexpected argument '\(extra)'") }
    }
}
