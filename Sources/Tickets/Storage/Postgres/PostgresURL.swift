import CPostgres

/// A PostgreSQL connection URL (`postgres://user:password@host:port/database?options`), as
/// libpq reads it. The password never appears in anything this type prints: `description`
/// and `masked` replace it with `***`, and `mask(_:)` scrubs it from libpq's messages.
public struct PostgresURL: Sendable, CustomStringConvertible {
    /// The URL as given (with the password): only ever handed to libpq.
    let string: String
    private let password: String?

    /// Parses `string`, which must start with `postgres://` or `postgresql://`. Throws
    /// `PostgresError` (kind `.usage`) naming the problem when libpq cannot read it.
    public init(_ string: String) throws {
        guard Self.isPostgresURL(string) else {
            throw PostgresError(kind: .usage, message: "a PostgreSQL URL starts with postgres:// or postgresql://")
        }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(string, &errorMessage) else {
            let detail = errorMessage.map { String(cString: $0) } ?? "cannot parse the URL"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(kind: .usage, message: "invalid PostgreSQL URL: " + detail.trimmingNewlines())
        }
        defer { PQconninfoFree(options) }
        var password: String?
        var option = options
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "password", let value = option.pointee.val { password = String(cString: value) }
            option += 1
        }
        self.string = string
        self.password = password.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when `string` names a PostgreSQL database rather than an SQLite file.
    public static func isPostgresURL(_ string: String) -> Bool {
        string.hasPrefix("postgres://") || string.hasPrefix("postgresql://")
    }

    /// The URL with the password (in the user part or a `password=` option) replaced by `***`.
    public var masked: String {
        guard password != nil else { return string }
        var result = string
        let scheme = result.range(of: "://")!.upperBound
        let authorityEnd = result[scheme...].firstIndex(where: { $0 == "/" || $0 == "?" }) ?? result.endIndex
        if let at = result[scheme..<authorityEnd].lastIndex(of: "@"),
           let colon = result[scheme..<at].firstIndex(of: ":") {
            result.replaceSubrange(result.index(after: colon)..<at, with: "***")
        }
        if let query = result.firstIndex(of: "?") {
            let pairs = result[result.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
            let scrubbed = pairs.map { $0.hasPrefix("password=") ? "password=***" : String($0) }
            result = String(result[...query]) + scrubbed.joined(separator: "&")
        }
        return result
    }

    public var description: String { masked }

    /// `message` with every occurrence of the password replaced by `***`.
    func mask(_ message: String) -> String {
        guard let password else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }

    /// The same server and options with another database name (for test databases).
    /// Throws like `init` when the result is not a valid URL.
    public func replacingDatabase(with name: String) throws -> PostgresURL {
        let scheme = string.range(of: "://")!.upperBound
        let query = string.firstIndex(of: "?") ?? string.endIndex
        let authorityEnd = string[scheme..<query].firstIndex(of: "/") ?? query
        return try PostgresURL(String(string[..<authorityEnd]) + "/" + name + String(string[query...]))
    }
}

extension String {
    func trimmingNewlines() -> String {
        var result = Substring(self)
        while let last = result.last, last.isNewline || last == " " { result = result.dropLast() }
        return String(result)
    }
}
