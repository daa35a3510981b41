/// The version of an HTTP/1.x message.
public enum HTTPVersion: Sendable, Equatable, CustomStringConvertible {
    case http1_0
    case http1_1

    public var description: String { self == .http1_0 ? "HTTP/1.0" : "HTTP/1.1" }
}

/// The request line and header fields, as the parser produces them.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: HTTPMethod
    /// The request target exactly as sent (origin form: path and optional query).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders

    public init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
    }

    /// Whether the connection stays open after this exchange (RFC 9112 section 9.3).
    public var keepAlive: Bool {
        switch version {
        case .http1_1: !headers.containsToken("close", in: "Connection")
        case .http1_0: headers.containsToken("keep-alive", in: "Connection")
        }
    }
}

/// A complete request handed to routes: head, body, and what routing learnt.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// The body, when it was spooled to a temporary file and the route's `HTTPBodyPolicy`
    /// accepts files (`body` is then empty). Nil for bodies in memory.
    public var bodyFile: HTTPBodyFile?
    /// Values of `:name` segments in the matched route.
    public var parameters: [String: String] = [:]
    /// The peer's IP address in printable form.
    public var remoteAddress: String
    /// The request arrived over TLS on this server's own port (`ServerConfiguration.tls`).
    public var isSecure = false

    public init(head: HTTPRequestHead, body: [UInt8] = [], remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }

    /// The percent-decoded path without the query (the raw target's path on decoding failure).
    public var path: String {
        let raw = rawPath
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        return raw.removingPercentEncodingStrict() ?? String(raw)
    }

    /// The path part of the target, still percent-encoded.
    public var rawPath: Substring {
        let target = head.target
        if let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) { return target[..<q] }
        return Substring(target)
    }

    /// The raw query string after `?`, if any.
    public var query: Substring? {
        let target = head.target
        guard let q = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return target[target.utf8.index(after: q)...]
    }

    /// Decoded query parameters in order (`a=1&b=x%20y`; `+` means space).
    public var queryItems: [(name: String, value: String)] {
        guard let query else { return [] }
        return FormURLEncoding.decode(query)
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}

/// `application/x-www-form-urlencoded` decoding, shared by query strings and form bodies.
public enum FormURLEncoding {
    /// Decodes `name=value&...` pairs; malformed escapes are kept literally.
    public static func decode<S: StringProtocol>(_ string: S) -> [(name: String, value: String)] {
        string.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(parts[0])
            let value = parts.count > 1 ? decodeComponent(parts[1]) : ""
            return (name: name, value: value)
        }
    }

    private static func decodeComponent<S: StringProtocol>(_ s: S) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncodingStrict() ?? spaced
    }
}

extension StringProtocol {
    /// Percent-decodes the string; nil when an escape is malformed or the result is not UTF-8.
    public func removingPercentEncodingStrict() -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var it = utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let hv = hexValue(h), let lv = hexValue(l) else { return nil }
                bytes.append(hv << 4 | lv)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    func replacingOccurrences(of target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}

@inline(__always)
func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
    default: nil
    }
}
