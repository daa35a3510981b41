import Glibc

/// What must be known about a request to write its response correctly.
struct ResponseContext: Sendable {
    let sequence: UInt64
    /// The request's head (method, version, Accept-Encoding).
    let request: HTTPRequestHead
    var keepAlive: Bool

    var isHead: Bool { request.method == .head }
    var version: HTTPVersion { request.version }
}

/// A file opened for a response body. Its descriptor closes when the last reference
/// goes: a read in flight on the I/O pool keeps it open even if the connection died
/// meanwhile, so the number can never be reused under that read.
final class OpenFile: @unchecked Sendable {
    let fd: Int32
    /// A piece is being read on the I/O pool (touched on the connection's loop only).
    var reading = false

    init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }
}

/// A body being streamed to the socket piece by piece as it drains.
enum BodySource {
    /// An open file, the next offset to read and the bytes left.
    case file(OpenFile, offset: Int, remaining: Int)
    /// A producer sending with chunked coding (`chunked` false: HTTP/1.0, raw until close).
    case stream(HTTPBodyStream, chunked: Bool)
}

/// The HTTP side of one connection: the parser, the request being read, and responses
/// kept in request order for pipelining (async handlers may finish out of order).
final class HTTPExchange {
    var parser: HTTPRequestParser
    /// The head of the request whose body is being read.
    var head: HTTPRequestHead?
    /// The body being read (nil until its first byte, or for requests without one).
    var body: RequestBody?
    /// When the head of the request whose body is being read arrived (body deadline).
    var bodyStartedAt: Instant?
    /// Sequence number of the next request parsed, and of the next response to write.
    var nextSequence: UInt64 = 0
    var nextToWrite: UInt64 = 0
    var finished: [UInt64: (HTTPResponse, ResponseContext)] = [:]
    /// Requests dispatched whose responses are not yet fully queued.
    var inFlight = 0
    /// When the first byte of a request head arrived, for the header-read timeout.
    var headStartedAt: Instant?
    /// A WebSocket upgrade is waiting for the application's decision: parse nothing more.
    var upgradePending = false
    /// No more requests will be read (Connection: close, an error, or an upgrade).
    var stopReading = false
    var streaming: BodySource?
    /// An accepted upgrade waiting for the responses of requests pipelined before it.
    var afterEarlierResponses: (() -> Void)?
    /// The response whose body is streaming (its request is done once the body is).
    var streamingContext: ResponseContext?

    init(limits: HTTPParserLimits) {
        parser = HTTPRequestParser(limits: limits)
    }

    /// Releases an open file or producer when the connection dies mid-stream.
    func cancelStreams() {
        if case .stream(let producer, _) = streaming { producer.cancel() }
        streaming = nil
    }
}
