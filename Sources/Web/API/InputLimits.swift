import Foundation
import Realtime

/// Checks every API request gets before a handler sees it: no NUL character in a query
/// parameter or a JSON string (SQLite and C strings stop at NUL, so a value could be cut
/// short after validation; a search containing one used to fail with a 500).
enum InputLimits {
    /// Throws a 422 naming the first query parameter whose name or value contains NUL.
    static func refuseNUL(inQueryOf request: HTTPRequest) throws {
        for item in request.queryItems where item.name.utf8.contains(0) || item.value.utf8.contains(0) {
            throw ProblemError.unprocessable("Text cannot contain NUL characters.", field: item.name)
        }
    }

    /// Throws a 422 when the (valid) JSON `body` has a string with an escaped NUL (`\u0000`),
    /// naming the field that holds it. A raw NUL byte is not valid JSON and never gets here.
    static func refuseNUL(inJSON body: [UInt8]) throws {
        guard containsEscapedNUL(body) else { return }
        let root = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])
        throw ProblemError.unprocessable("Text cannot contain NUL characters.", field: root.flatMap { pathToNUL($0) })
    }

    /// True when `body` contains the escape `\u0000`. Valid JSON has backslashes only inside
    /// strings, each starting a two-character (or `\uXXXX`) escape, so skipping escapes as
    /// whole units finds the NUL escape and never a `\\u0000` that is literal text.
    static func containsEscapedNUL(_ body: [UInt8]) -> Bool {
        let backslash = UInt8(ascii: "\\"), u = UInt8(ascii: "u"), zero = UInt8(ascii: "0")
        var index = 0
        while index < body.count {
            guard body[index] == backslash else {
                index += 1
                continue
            }
            if index + 5 < body.count, body[index + 1] == u,
               body[index + 2] == zero, body[index + 3] == zero, body[index + 4] == zero, body[index + 5] == zero {
                return true
            }
            index += 2
        }
        return false
    }

    /// The dotted path (`requester.name`, `tags[2]`) of the first string holding NUL, or nil.
    private static func pathToNUL(_ value: Any, path: String = "") -> String? {
        switch value {
        case let text as String:
            return text.utf8.contains(0) ? (path.isEmpty ? nil : path) : nil
        case let object as [String: Any]:
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                if key.utf8.contains(0) { return path.isEmpty ? key : path + "." + key }
                if let found = pathToNUL(child, path: path.isEmpty ? key : path + "." + key) { return found }
            }
            return nil
        case let array as [Any]:
            for (index, child) in array.enumerated() {
                if let found = pathToNUL(child, path: path + "[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
