import Foundation
import Realtime

/// JSON in and out of the API, with one encoder configuration for every response.
enum JSONBody {
    /// Encodes `value` as a JSON response (ISO 8601 dates, stable key order).
    static func response<T: Encodable>(_ value: T, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return .json(Array(try encoder.encode(value)), status: status)
    }

    /// Decodes a JSON request body. 415 without a JSON content type, 400 for malformed
    /// JSON, 422 naming the field for a missing or mistyped one or a string holding NUL.
    static func decode<T: Decodable>(_ type: T.Type, from request: HTTPRequest) throws -> T {
        guard let contentType = request.headers["Content-Type"],
              contentType.lowercased().hasPrefix("application/json") else {
            throw ProblemError(status: .unsupportedMediaType, detail: "Send the body as application/json.")
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            let value = try decoder.decode(type, from: Data(request.body))
            try InputLimits.refuseNUL(inJSON: request.body)
            return value
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            throw ProblemError.badRequest("The body is not valid JSON.")
        } catch DecodingError.keyNotFound(let key, let context) {
            let field = path(context.codingPath + [key])
            throw ProblemError.unprocessable("\(field) is required.", field: field)
        } catch DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context) {
            let field = path(context.codingPath)
            throw ProblemError.unprocessable("\(field) must be \(WireEnums.describe(type)).", field: field)
        } catch DecodingError.dataCorrupted(let context) {
            let field = path(context.codingPath)
            throw ProblemError.unprocessable(WireEnums.message(field: field, decoderText: context.debugDescription), field: field)
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}
