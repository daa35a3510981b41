/// The ticket reference we put in the subject of our emails, signed so that a stranger cannot
/// attach mail to someone's ticket by guessing a number: `[TKT-042:9f86d081]`, where the
/// suffix is the first 4 bytes of HMAC-SHA256(credential key, "subject:" + reference).
/// A bare `[TKT-042]` is never trusted.
public enum SubjectToken {
    /// The token for `reference` (e.g. "TKT-042").
    public static func make(_ reference: String, key: CredentialKey) -> String {
        "[\(reference):\(signature(reference, key))]"
    }

    /// The reference of the first correctly signed token in `subject`, or nil.
    public static func reference(in subject: String, key: CredentialKey) -> String? {
        var rest = Substring(subject)
        while let open = rest.firstIndex(of: "[") {
            let after = rest[rest.index(after: open)...]
            guard let close = after.firstIndex(of: "]") else { return nil }
            let inside = after[..<close]
            let parts = inside.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].count <= 32, parts[1].count == 8 {
                let reference = String(parts[0])
                let given = Array(parts[1].utf8), expected = Array(signature(reference, key).utf8)
                if Crypto.constantTimeEqual(given, expected) { return reference }
            }
            rest = after[after.index(after: close)...]
        }
        return nil
    }

    private static func signature(_ reference: String, _ key: CredentialKey) -> String {
        Encoding.hex(Array(Crypto.hmacSHA256(key: key.bytes, Array("subject:\(reference)".utf8)).prefix(4)))
    }
}
