/// An error that knows its HTTP answer; the ErrorMiddleware turns it into problem+json.
public protocol HTTPError: Error {
    /// The status to answer with.
    var status: HTTPStatus { get }
    /// A human-readable explanation for the client (sent in the body: no secrets).
    var detail: String { get }
    /// The offending request field, when one is to blame.
    var field: String? { get }
}

/// A ready-made `HTTPError` for handlers.
public struct ProblemError: HTTPError, Sendable, Equatable {
    public var status: HTTPStatus
    public var detail: String
    public var field: String?

    /// An error with any status.
    public init(status: HTTPStatus, detail: String, field: String? = nil) {
        self.status = status
        self.detail = detail
        self.field = field
    }

    /// 400: the request is malformed; `field` names the bad input.
    public static func badRequest(_ detail: String, field: String? = nil) -> ProblemError {
        ProblemError(status: .badRequest, detail: detail, field: field)
    }

    /// 401: no valid credentials.
    public static func unauthorized(_ detail: String = "authentication required") -> ProblemError {
        ProblemError(status: .unauthorized, detail: detail)
    }

    /// 403: authenticated but not allowed.
    public static func forbidden(_ detail: String = "not allowed") -> ProblemError {
        ProblemError(status: .forbidden, detail: detail)
    }

    /// 404: the resource does not exist.
    public static func notFound(_ detail: String = "not found") -> ProblemError {
        ProblemError(status: .notFound, detail: detail)
    }

    /// 409: the request conflicts with the current state (e.g. a stale version).
    public static func conflict(_ detail: String, field: String? = nil) -> ProblemError {
        ProblemError(status: .conflict, detail: detail, field: field)
    }

    /// 422: well-formed but semantically invalid; `field` names the bad input.
    public static func unprocessable(_ detail: String, field: String? = nil) -> ProblemError {
        ProblemError(status: .unprocessableContent, detail: detail, field: field)
    }
}

/// `application/problem+json` bodies (RFC 9457).
public enum ProblemDetails {
    /// The media type of problem bodies (RFC 9457 section 6.1).
    public static let contentType = "application/problem+json"

    /// A response `{"type","title","status","detail","field"?}` with `type` `about:blank`
    /// and the reason phrase as `title` (RFC 9457 section 4.2.1).
    public static func response(status: HTTPStatus, detail: String, field: String? = nil, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var json: [UInt8] = []
        json.reserveCapacity(96 + detail.utf8.count)
        json.append(contentsOf: #"{"type":"about:blank","title":"#.utf8)
        JSONString.append(status.reason, to: &json)
        json.append(contentsOf: #","status":"#.utf8)
        json.append(contentsOf: String(status.code).utf8)
        json.append(contentsOf: #","detail":"#.utf8)
        JSONString.append(detail, to: &json)
        if let field {
            json.append(contentsOf: #","field":"#.utf8)
            JSONString.append(field, to: &json)
        }
        json.append(UInt8(ascii: "}"))
        var headers = headers
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: .bytes(json))
    }

    /// The problem response for an `HTTPError`.
    public static func response(for error: any HTTPError) -> HTTPResponse {
        response(status: error.status, detail: error.detail, field: error.field)
    }
}

/// A JSON string literal writer (RFC 8259 section 7).
enum JSONString {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `"text"` with quotes, backslashes and control characters escaped.
    static func append(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
