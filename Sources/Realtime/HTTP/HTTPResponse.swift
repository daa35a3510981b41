/// What a response carries after its head.
public enum HTTPBody: Sendable {
    /// No body (Content-Length: 0, or none at all for 1xx, 204 and 304).
    case empty
    /// A body held in memory, sent with Content-Length (and gzip-compressed when the
    /// client accepts it and the type is text-like).
    case bytes([UInt8])
    /// A region of a file, streamed from disk as the socket drains (Content-Length).
    case file(path: String, offset: Int, length: Int)
    /// A body produced piece by piece and sent with chunked transfer coding.
    case stream(HTTPBodyStream)
}

/// A pull-based body producer, polled on the connection's event loop whenever the
/// socket can take more. `next()` must not block: it returns the next bytes, `[]` when the
/// producer has nothing yet (it then calls the `wake` it was given once it has), or nil to
/// end the body.
public protocol HTTPBodyStream: AnyObject, Sendable {
    func next() -> [UInt8]?
    /// Called on the loop before the first `next()`: `wake` (callable from any thread) makes
    /// the loop poll `next()` again, for a producer that works off the loop.
    func attach(wake: @escaping @Sendable () -> Void)
    /// The connection closed before the body ended: stop producing.
    func cancel()
    /// Read once `next()` returned nil: true when production failed part way. The connection
    /// is then closed without the final chunk, so the client sees an incomplete body rather
    /// than a complete-looking truncated one.
    var failed: Bool { get }
}

extension HTTPBodyStream {
    public func attach(wake: @escaping @Sendable () -> Void) {}
    public func cancel() {}
    public var failed: Bool { false }
}

/// A response to send: status, header fields and body.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: HTTPBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 text body with the given content type.
    public static func text(_ text: String, status: HTTPStatus = .ok, contentType: String = "text/plain; charset=utf-8") -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: .bytes(Array(text.utf8)))
    }

    /// A JSON body from already-encoded bytes.
    public static func json(_ bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(bytes))
    }
}
