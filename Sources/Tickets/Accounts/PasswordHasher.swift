/// PBKDF2-HMAC-SHA256 password hashes stored as `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.
public struct PasswordHasher: Sendable {
    /// OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
    public static let defaultIterations = 210_000
    static let saltBytes = 16
    static let hashBytes = 32

    /// Iterations used for new hashes (tests lower it; verification reads it from the hash).
    public let iterations: Int

    public init(iterations: Int = PasswordHasher.defaultIterations) {
        self.iterations = iterations
    }

    /// Hashes `password` with a fresh random salt.
    public func hash(_ password: String) -> String {
        let salt = Crypto.randomBytes(Self.saltBytes)
        let digest = Crypto.pbkdf2SHA256(password: password, salt: salt, iterations: iterations, length: Self.hashBytes)
        return "pbkdf2-sha256$\(iterations)$\(Encoding.hex(salt))$\(Encoding.hex(digest))"
    }

    /// True when `password` matches `stored`; false for a wrong password or a malformed hash.
    /// The comparison is constant-time.
    public func verify(_ password: String, against stored: String) -> Bool {
        let parts = stored.split(separator: "$")
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
              rounds <= 10_000_000, let salt = Encoding.fromHex(String(parts[2])),
              let expected = Encoding.fromHex(String(parts[3])), !expected.isEmpty else { return false }
        let actual = Crypto.pbkdf2SHA256(password: password, salt: salt, iterations: rounds, length: expected.count)
        return Crypto.constantTimeEqual(actual, expected)
    }
}
