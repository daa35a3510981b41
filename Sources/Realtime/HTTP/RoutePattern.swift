/// A route path pattern: literal segments, `:name` parameters and one trailing `*name`
/// wildcard, e.g. `/tickets/:id/messages` or `/static/*path`.
///
/// Matching is per segment on the raw (percent-encoded) path: a segment is decoded after
/// splitting, so `%2F` inside a parameter never creates a segment boundary.
public struct RoutePattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        /// Matches one or more remaining segments (joined with `/`, possibly empty).
        case wildcard(String)
    }

    let segments: [Segment]
    public let description: String

    /// Parses `pattern`; a `*name` segment must be the last one (programmer error otherwise).
    public init(_ pattern: String) {
        description = pattern
        var segments: [Segment] = []
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, part) in parts.enumerated() {
            if part.hasPrefix(":") {
                segments.append(.parameter(String(part.dropFirst())))
            } else if part.hasPrefix("*") {
                precondition(index == parts.count - 1, "a wildcard must be the last segment: \(pattern)")
                segments.append(.wildcard(String(part.dropFirst())))
            } else {
                segments.append(.literal(String(part)))
            }
        }
        self.segments = segments
    }

    /// True when the pattern has no parameters or wildcard.
    var isStatic: Bool {
        segments.allSatisfy { if case .literal = $0 { true } else { false } }
    }

    /// True when the pattern ends in a wildcard.
    var hasWildcard: Bool {
        if case .wildcard = segments.last { true } else { false }
    }

    /// The percent-decoded parameter values when `path` (raw, without query) matches; nil otherwise.
    public func match(_ path: String) -> [String: String]? {
        match(segments: Self.split(Substring(path)))
    }

    /// The raw segments of a path, without the leading empty one; nil when it is not absolute.
    static func split(_ path: Substring) -> [Substring]? {
        guard path.first == "/" else { return nil }
        return Array(path.split(separator: "/", omittingEmptySubsequences: false).dropFirst())
    }

    /// Matches pre-split raw segments.
    func match(segments raw: [Substring]?) -> [String: String]? {
        guard let raw else { return nil }
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal(let literal):
                guard index < raw.count, Self.decode(raw[index]) == literal else { return nil }
            case .parameter(let name):
                guard index < raw.count, !raw[index].isEmpty, let value = Self.decode(raw[index]) else { return nil }
                parameters[name] = value
            case .wildcard(let name):
                guard index < raw.count else { return nil }
                var values: [String] = []
                for part in raw[index...] {
                    guard let value = Self.decode(part) else { return nil }
                    values.append(value)
                }
                parameters[name] = values.joined(separator: "/")
                return parameters
            }
        }
        return raw.count == segments.count ? parameters : nil
    }

    /// A decoded segment; nil when an escape is malformed.
    private static func decode(_ segment: Substring) -> String? {
        segment.utf8.contains(UInt8(ascii: "%")) ? segment.removingPercentEncodingStrict() : String(segment)
    }
}
