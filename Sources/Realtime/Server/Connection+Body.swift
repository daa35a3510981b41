/// Request bodies: the route's size limit, memory or a temporary file while the body
/// arrives (`RequestBody`), and the minimum-rate deadline.
extension Connection {
    /// Applies the route's body policy to a new request head. A declared length is checked
    /// now (413 before `100 Continue`); a chunked body gets its policy at its first byte.
    /// Returns false when the request was refused.
    func beginBody(_ head: HTTPRequestHead, exchange: HTTPExchange) -> Bool {
        exchange.body = nil
        guard let declared = exchange.parser.expectedBodyLength, declared > 0 else { return true }
        do {
            exchange.body = try RequestBody(policy: context.server.bodyPolicy(head), declaredLength: declared,
                                            budget: context.server.bodyBudget, configuration: configuration)
            return true
        } catch {
            refuseBody(error, exchange: exchange)
            return false
        }
    }

    /// Adds received body bytes. Returns false when the request was refused.
    func appendBody(_ bytes: UnsafeRawBufferPointer, exchange: HTTPExchange) -> Bool {
        do {
            if exchange.body == nil, let head = exchange.head {
                exchange.body = try RequestBody(policy: context.server.bodyPolicy(head), declaredLength: nil,
                                                budget: context.server.bodyBudget, configuration: configuration)
            }
            try exchange.body?.append(bytes)
            return true
        } catch {
            refuseBody(error, exchange: exchange)
            return false
        }
    }

    /// The complete body as the route wants it: bytes, or the spooled file when the policy
    /// accepts files. A spooled body for a route that does not is read back into memory
    /// here (it is complete, and at most the route's limit). Nil when that read failed
    /// and the request was refused.
    func takeBody(_ exchange: HTTPExchange) -> (bytes: [UInt8], file: HTTPBodyFile?)? {
        guard let body = exchange.body else { return ([], nil) }
        exchange.body = nil
        let (bytes, file) = body.finish()
        guard let file, !body.policy.acceptsFile else { return (bytes, file) }
        do {
            return (try file.readAll(), nil)
        } catch {
            refuseBody(.io(error), exchange: exchange)
            return nil
        }
    }

    /// Whether the body being read is past its deadline: `bodyReadTimeoutSeconds` plus one
    /// second per `bodyMinimumBytesPerSecond` bytes received. Not while reading is paused
    /// (then the server, not the client, is the slow side).
    func bodyIsOverdue(_ exchange: HTTPExchange, now: Instant) -> Bool {
        guard let started = exchange.bodyStartedAt, !readPaused else { return false }
        let received = Double(exchange.body?.count ?? 0)
        let allowed = configuration.bodyReadTimeoutSeconds + received / configuration.bodyMinimumBytesPerSecond
        return now.seconds(since: started) > allowed
    }

    /// Seconds a client is asked to wait (`Retry-After`) when spooled bodies fill their share.
    static let spoolFullRetryAfterSeconds = 30

    private func refuseBody(_ failure: RequestBody.Failure, exchange: HTTPExchange) {
        switch failure {
        case .tooLarge(let limit):
            refuse(.contentTooLarge, detail: "The request body is larger than \(limit) bytes.", exchange: exchange)
        case .spoolFull:
            var headers = HTTPHeaders()
            headers.set("Retry-After", String(Self.spoolFullRetryAfterSeconds))
            refuse(.serviceUnavailable, detail: "The server is receiving too many large requests; try again later.",
                   exchange: exchange, headers: headers)
        case .io(let error):
            context.server.log("request body spool failed: \(error)")
            var headers = HTTPHeaders()
            headers.set("Retry-After", String(Self.spoolFullRetryAfterSeconds))
            refuse(.serviceUnavailable, detail: "The server could not store the request body.", exchange: exchange, headers: headers)
        }
    }
}
