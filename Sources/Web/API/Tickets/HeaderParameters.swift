import Foundation
import Realtime

/// `value; name=token; name="quoted \" string"` header values (RFC 9110 section 5.6.6),
/// as used by Content-Type and Content-Disposition, plus RFC 8187 extended values.
enum HeaderParameters {
    /// The lower-cased leading value and the parameters by lower-cased name. Quoted strings
    /// lose their quotes and backslash escapes; a repeated name keeps its first value.
    static func parse(_ header: String) -> (value: String, parameters: [String: String]) {
        var scanner = Substring(header)
        let leading = scanner.prefix { $0 != ";" }
        let value = leading.trimmingCharacters(in: .whitespaces).lowercased()
        scanner = scanner.dropFirst(leading.count)
        var parameters: [String: String] = [:]
        while scanner.first == ";" {
            scanner = scanner.dropFirst().drop { $0 == " " || $0 == "\t" }
            let name = scanner.prefix { $0 != "=" && $0 != ";" }
            scanner = scanner.dropFirst(name.count)
            guard scanner.first == "=" else { continue }
            scanner = scanner.dropFirst()
            var text = ""
            if scanner.first == "\"" {
                scanner = scanner.dropFirst()
                while let c = scanner.first, c != "\"" {
                    scanner = scanner.dropFirst()
                    if c == "\\", let escaped = scanner.first {
                        text.append(escaped)
                        scanner = scanner.dropFirst()
                    } else {
                        text.append(c)
                    }
                }
                scanner = scanner.dropFirst().drop { $0 != ";" }
            } else {
                text = String(scanner.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
                scanner = scanner.dropFirst(scanner.prefix { $0 != ";" }.count)
            }
            let key = name.trimmingCharacters(in: .whitespaces).lowercased()
            if !key.isEmpty, parameters[key] == nil { parameters[key] = text }
        }
        return (value, parameters)
    }

    /// An RFC 8187 extended value `UTF-8'lang'percent-encoded` decoded, or nil when it is not
    /// UTF-8 (the only charset RFC 8187 section 3.2.1 requires) or badly encoded.
    static func decodeExtended(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return pieces[2].removingPercentEncodingStrict()
    }

    /// `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 section 4.3):
    /// the plain name has quotes, backslashes, controls and non-ASCII replaced by `_`.
    static func contentDisposition(_ kind: String, fileName: String) -> String {
        let fallback = String(fileName.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar.value != 0x7F && scalar != "\"" && scalar != "\\"
                ? Character(scalar) : "_"
        })
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "!#$&+-.^_`|~")
        let encoded = fileName.addingPercentEncoding(withAllowedCharacters: allowed) ?? fallback
        return "\(kind); filename=\"\(fallback)\"; filename*=UTF-8''\(encoded)"
    }
}
