import Foundation

/// One header field, unfolded (RFC 5322 section 2.2.3), with its value as text. Raw 8-bit
/// bytes in a value are read as UTF-8 (RFC 6532) or, when that fails, as Latin-1, so nothing
/// is lost; encoded words are decoded by the typed accessors, not here.
public struct HeaderField: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An entity's header fields in their original order, looked up case-insensitively.
public struct HeaderFields: Sendable, Equatable {
    public private(set) var fields: [HeaderField]

    public init(_ fields: [HeaderField] = []) { self.fields = fields }

    /// The first field called `name` (case-insensitive), or nil.
    public subscript(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every field called `name`, in order.
    public func all(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// Whether a field called `name` is present.
    public func contains(_ name: String) -> Bool { self[name] != nil }

    mutating func append(_ field: HeaderField) { fields.append(field) }
}

extension String {
    /// ASCII case-insensitive equality, the comparison header names and tokens use.
    func caseInsensitiveEquals(_ other: String) -> Bool {
        let a = utf8, b = other.utf8
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { asciiLower($0) == asciiLower($1) }
    }
}

@inline(__always) func asciiLower(_ byte: UInt8) -> UInt8 {
    byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
}

/// Text from header or body bytes: UTF-8 when valid, otherwise Latin-1 (every byte maps to a
/// character, so undeclared 8-bit text is never dropped).
func textFromBytes<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
    if let text = String(validating: bytes, as: UTF8.self) { return text }
    return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
}
