/// Turns failures into responses: an `HTTPError` becomes `application/problem+json`
/// with its status, detail and field; any other error becomes a 500 with a generic
/// detail, and the real error goes to the log only (never into the body).
public struct ErrorMiddleware: HTTPMiddleware {
    /// The body detail for unexpected errors.
    public static let genericDetail = "internal server error"

    private let log: @Sendable (String) -> Void

    /// `log` receives one line per unexpected error: method, path and the error.
    public init(log: @escaping @Sendable (String) -> Void) {
        self.log = log
    }

    public func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion) {
        let log = self.log
        next(request) { result in
            switch result {
            case .success:
                completion(result)
            case .failure(let error as any HTTPError):
                completion(.success(ProblemDetails.response(for: error)))
            case .failure(let error):
                log("unhandled error for \(request.method) \(request.rawPath): \(String(reflecting: error))")
                completion(.success(ProblemDetails.response(status: .internalServerError, detail: Self.genericDetail)))
            }
        }
    }
}

/// Logs one line per request: `METHOD /path STATUS BYTESb DURATIONms`.
///
/// Only the raw path is logged, never the query (it may carry tokens); the raw path
/// holds visible ASCII only, so a line cannot be forged. Add it before
/// `ErrorMiddleware` so it sees the final status (a failure reaching it logs as 500).
public struct AccessLogMiddleware: HTTPMiddleware {
    private let clock: @Sendable () -> Double
    private let write: @Sendable (String) -> Void

    /// `clock` returns monotonic seconds (for durations); `write` receives each line.
    public init(clock: @escaping @Sendable () -> Double, write: @escaping @Sendable (String) -> Void) {
        self.clock = clock
        self.write = write
    }

    public func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion) {
        let clock = self.clock, write = self.write
        let start = clock()
        next(request) { result in
            let milliseconds = (clock() - start) * 1000
            let status: Int, bytes: String
            switch result {
            case .success(let response):
                status = response.status.code
                bytes = Self.size(of: response.body)
            case .failure:
                status = HTTPStatus.internalServerError.code
                bytes = "-"
            }
            write("\(request.method) \(request.rawPath) \(status) \(bytes)b \(Self.format(milliseconds))ms")
            completion(result)
        }
    }

    /// The body size, or `-` for a stream of unknown length.
    static func size(of body: HTTPBody) -> String {
        switch body {
        case .empty: "0"
        case .bytes(let bytes): String(bytes.count)
        case .file(_, _, let length): String(length)
        case .stream: "-"
        }
    }

    /// Milliseconds with one decimal.
    static func format(_ milliseconds: Double) -> String {
        let tenths = Int((max(0, milliseconds) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
