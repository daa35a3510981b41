@testable import Realtime

/// What a test sees from the parser, with adjacent body pieces joined.
enum Parsed: Equatable {
    case head(HTTPRequestHead)
    case body(String)
    case end
}

/// Feeds `pieces` one after another the way a connection would (keeping unconsumed
/// bytes) and returns every event, or the first error.
func parse(_ pieces: [[UInt8]], limits: HTTPParserLimits = .init()) -> Result<[Parsed], HTTPParseError> {
    var parser = HTTPRequestParser(limits: limits)
    var buffer: [UInt8] = []
    var events: [Parsed] = []
    for piece in pieces {
        buffer += piece
        while true {
            let step = buffer.withUnsafeBytes { bytes in
                Result { () throws(HTTPParseError) in try parser.next(bytes) }
            }
            let (event, consumed): (HTTPParserEvent?, Int)
            switch step {
            case .success(let value): (event, consumed) = value
            case .failure(let error): return .failure(error)
            }
            precondition(consumed <= buffer.count)
            switch event {
            case .head(let head)?: events.append(.head(head))
            case .body(let range)?:
                let text = String(decoding: buffer[range], as: UTF8.self)
                if case .body(let previous)? = events.last { events[events.count - 1] = .body(previous + text) } else { events.append(.body(text)) }
            case .end?: events.append(.end)
            case nil: break
            }
            buffer.removeFirst(consumed)
            if event == nil { break }
        }
    }
    return .success(events)
}

/// Parses `text` delivered in one piece.
func parse(_ text: String, limits: HTTPParserLimits = .init()) -> Result<[Parsed], HTTPParseError> {
    parse([Array(text.utf8)], limits: limits)
}

/// Parses `text` delivered one byte per read.
func parseByteAtATime(_ text: String) -> Result<[Parsed], HTTPParseError> {
    parse(text.utf8.map { [$0] })
}

/// The error `text` is refused with, or nil when it parses.
func parseError(_ text: String, limits: HTTPParserLimits = .init()) -> HTTPParseError? {
    if case .failure(let error) = parse(text, limits: limits) { return error }
    return nil
}

/// A head for expectations.
func head(_ method: HTTPMethod, _ target: String, _ version: HTTPVersion, _ fields: [(String, String)]) -> HTTPRequestHead {
    HTTPRequestHead(method: method, target: target, version: version, headers: HTTPHeaders(fields))
}

/// An HTTP/1.1 head for expectations.
func head(_ method: HTTPMethod, _ target: String, _ fields: [(String, String)]) -> HTTPRequestHead {
    head(method, target, .http1_1, fields)
}
