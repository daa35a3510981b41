/// The database schema of this build, for `helpdesk --version` and the start-up log.
public enum DatabaseSchema {
    /// The schema version this build creates and migrates to: the number of its newest
    /// migration (a data folder at a lower number is migrated when opened).
    public static var version: Int { Schema.migrations.map(\.number).max() ?? 0 }
    /// The same for PostgreSQL, whose migrations are numbered on their own
    /// (`PostgresSchema.migrations`: 1 is the baseline equal to SQLite's schema 27).
    public static var postgresVersion: Int { PostgresSchema.migrations.map(\.number).max() ?? 0 }
}
