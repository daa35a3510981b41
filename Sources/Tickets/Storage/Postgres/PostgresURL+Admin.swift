extension PostgresURL {
    /// Creates the database `name` (lower-case letters, digits and `_`) on this URL's server,
    /// connecting to its `postgres` maintenance database. For test and set-up tooling.
    /// Throws `PostgresError` (`.usage` for a name outside that alphabet).
    public func createDatabase(named name: String) throws {
        try Self.checkName(name)
        try PostgresConnection(url: try replacingDatabase(with: "postgres")).execute("CREATE DATABASE \(name)")
    }

    /// Drops the database `name` if it exists, ending the sessions still connected to it.
    /// Throws `PostgresError`.
    public func dropDatabase(named name: String) throws {
        try Self.checkName(name)
        try PostgresConnection(url: try replacingDatabase(with: "postgres")).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The database name in the URL's path ("" when none).
    public var databaseName: String {
        let scheme = string.range(of: "://")!.upperBound
        let end = string.firstIndex(of: "?") ?? string.endIndex
        guard let slash = string[scheme..<end].firstIndex(of: "/") else { return "" }
        return String(string[string.index(after: slash)..<end])
    }

    // Names are spliced into CREATE/DROP DATABASE (identifiers cannot be parameters).
    private static func checkName(_ name: String) throws {
        guard !name.isEmpty, name.utf8.count <= 63,
              name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }) else {
            throw PostgresError(kind: .usage, message: "a database name here is 1 to 63 lower-case letters, digits and _")
        }
    }
}
