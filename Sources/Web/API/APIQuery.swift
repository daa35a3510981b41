import Realtime

/// Query parameters shared by the API's list routes, each refused with a 422 naming it.
enum APIQuery {
    /// `limit` from 1 to `max`; `defaultValue` when absent.
    static func limit(_ raw: String?, default defaultValue: Int, max: Int) throws -> Int {
        guard let raw else { return defaultValue }
        guard let value = Int(raw), (1...max).contains(value) else {
            throw ProblemError.unprocessable("Use a limit from 1 to \(max).", field: "limit")
        }
        return value
    }

    /// A positive id used as a paging position (`before`); nil when absent.
    static func position(_ raw: String?, field: String) throws -> Int64? {
        guard let raw else { return nil }
        guard let value = Int64(raw), value > 0 else { throw ProblemError.unprocessable("Use an entry id.", field: field) }
        return value
    }
}
