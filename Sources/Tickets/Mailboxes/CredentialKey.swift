import Foundation

/// The key that encrypts mailbox passwords at rest: 32 random bytes in
/// `<data>/mail-credentials.key`, readable by the server's user only. It lives beside the
/// database, not in it, so a copy of the database alone (a backup sent elsewhere, a SQL
/// export) does not reveal the passwords; keep the file with the data folder.
public struct CredentialKey: Sendable {
    public static let fileName = "mail-credentials.key"
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "the credential key is 32 bytes")
        self.bytes = bytes
    }

    /// Reads the key from `directory`, creating it (mode 0600, never overwriting) when it is
    /// missing. Throws when the file exists but is not a 32-byte key.
    public static func loadOrCreate(directory: String) throws -> CredentialKey {
        let path = directory + "/" + fileName
        do {
            return CredentialKey(bytes: try KeyFile.loadOrCreate(path, byteCount: 32))
        } catch KeyFile.Problem.wrongLength {
            throw DomainError.validation("credentialKey", "\(path) is not a 32-byte key; restore it from the backup of this data folder.")
        } catch KeyFile.Problem.cannotWrite(let reason) {
            throw DomainError.validation("credentialKey", "cannot create \(path): \(reason)")
        }
    }

    /// `secret` sealed for `purpose` (e.g. "mailbox.imap").
    func seal(_ secret: String, purpose: String) -> [UInt8] {
        Crypto.seal(Array(secret.utf8), key: bytes, context: Array(purpose.utf8))
    }

    /// The secret sealed for `purpose`, or nil when the bytes were altered or sealed with
    /// another key (the data folder's key file was replaced).
    func open(_ sealed: [UInt8], purpose: String) -> String? {
        Crypto.open(sealed, key: bytes, context: Array(purpose.utf8)).map { String(decoding: $0, as: UTF8.self) }
    }
}
