import Tickets

/// The release version of this build and the database schema it uses.
public enum Version {
    /// Bumped for each release (README: "Installing a release"); the OpenAPI document's
    /// `info.version` is the API's own version and changes only with the API.
    public static let release = "1.0.0"

    /// "1.0.0 (schema 27, PostgreSQL schema 1)".
    public static var text: String {
        "\(release) (schema \(DatabaseSchema.version), PostgreSQL schema \(DatabaseSchema.postgresVersion))"
    }

    /// What `helpdesk --version` prints.
    public static var report: String {
        "helpdesk \(release)\ndatabase schema version \(DatabaseSchema.version) (SQLite), \(DatabaseSchema.postgresVersion) (PostgreSQL)"
    }
}
