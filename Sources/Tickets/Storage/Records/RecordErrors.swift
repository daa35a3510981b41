/// Constraint failures the records turn into domain errors, recognised here once for every
/// database the storage layer speaks.
enum RecordErrors {
    /// True when `error` is a unique-key violation (a second row with a key already taken).
    static func isUniqueViolation(_ error: any Error) -> Bool {
        (error as? SQLiteError)?.isUniqueViolation ?? false
    }

    /// Runs `body`, throwing `conflict` instead of a unique-key violation.
    static func unique<T>(_ conflict: @autoclosure () -> DomainError, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch where isUniqueViolation(error) {
            throw conflict()
        }
    }
}
