/// What a new password must satisfy (NIST SP 800-63B section 5.1.1.2): a minimum length,
/// a maximum that bounds hashing work, and not a commonly used password, compared
/// case-insensitively and also with trailing digits and symbols removed ("Password2024!"
/// is "password"). No composition rules: they push people to predictable patterns.
public struct PasswordPolicy: Sendable {
    /// Twelve characters: the floor for passwords that are not checked against a breach service.
    public static let minLength = 12
    /// Long passphrases are welcome; beyond this a request is a mistake or an attack.
    public static let maxLength = 256

    /// The shipped list (`Resources/common-passwords.txt`, compiled into the binary), lower-cased.
    static let commonPasswords: Set<String> = {
        let text = String(decoding: PackageResources.common_passwords_txt, as: UTF8.self)
        var set = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            set.insert(line.lowercased())
        }
        return set
    }()

    public init() {}

    /// Throws a `.validation` error on `field` naming the rule `password` breaks; `email` is
    /// the account's, refused as (part of) its own password.
    public func check(_ password: String, email: String? = nil, field: String = "password") throws {
        guard !password.contains("\0") else { throw DomainError.validation(field, "Passwords cannot contain NUL characters.") }
        guard password.count >= Self.minLength else {
            throw DomainError.validation(field, "Use at least \(Self.minLength) characters.")
        }
        guard password.utf8.count <= Self.maxLength else {
            throw DomainError.validation(field, "Use at most \(Self.maxLength) bytes.")
        }
        if isCommon(password) {
            throw DomainError.validation(field, "This password is too common. Choose one that is harder to guess.")
        }
        if let email, let local = email.split(separator: "@").first, local.count >= 4,
           password.lowercased().contains(local.lowercased()) {
            throw DomainError.validation(field, "Do not use your email address in your password.")
        }
        if Set(password).count < 3 {
            throw DomainError.validation(field, "Use more than two different characters.")
        }
    }

    /// True when `password`, lower-cased, or lower-cased without trailing digits and symbols
    /// (kept only when at least four characters remain), is on the list.
    func isCommon(_ password: String) -> Bool {
        let lowered = password.lowercased()
        if Self.commonPasswords.contains(lowered) { return true }
        let stem = String(lowered.reversed().drop { !$0.isLetter }.reversed())
        return stem.count >= 4 && stem != lowered && Self.commonPasswords.contains(stem)
    }
}
