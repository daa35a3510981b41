import Foundation

/// The server's secret for requester access links: 32 random bytes in a file of its own
/// beside the database (mode 0600). A link's token is derived from this key and a random
/// nonce stored with the link, so the token can be shown again (copy, outgoing email)
/// while the database holds only its hash and the nonce: a leaked database or backup opens
/// no ticket. Losing the key keeps every link working (tokens are checked by hash) but the
/// ticket page can no longer show them until they are regenerated.
public struct AccessLinkKey: Sendable {
    /// The key's file in the data folder.
    public static let fileName = "access-link.key"
    /// The key length: the HMAC-SHA256 block of security, 256 bits.
    static let byteCount = 32
    let bytes: [UInt8]

    /// A key of exactly 32 bytes (tests); traps on any other length.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount, "an access link key is 32 bytes")
        self.bytes = bytes
    }

    /// The key in `path`, created with fresh random bytes (mode 0600) when the file is
    /// missing. Throws when the file exists with another length or cannot be written.
    public static func loadOrCreate(at path: String) throws -> AccessLinkKey {
        do {
            return AccessLinkKey(bytes: try KeyFile.loadOrCreate(path, byteCount: byteCount))
        } catch KeyFile.Problem.wrongLength {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: path])
        } catch {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// The token of the link with `nonce`: URL-safe base64 of HMAC-SHA256(key, purpose:nonce),
    /// 43 characters carrying the nonce's 256 random bits. `purpose` keeps an access link's
    /// and a survey's tokens apart even for equal nonces.
    func token(nonce: [UInt8], purpose: String = "ticket-access-link") -> String {
        Encoding.base64URL(Crypto.hmacSHA256(key: bytes, Array((purpose + ":").utf8) + nonce))
    }
}

/// What a presented token is looked up by: SHA-256 of its first `maxTokenBytes` bytes. Any
/// input, well-formed or not, costs one hash and one indexed lookup, so a bad token answers
/// in the same time whatever it looks like.
enum AccessLinkToken {
    /// Longer input is cut here before hashing: a real token has 43 characters.
    static let maxTokenBytes = 128
    /// Random bytes per link nonce (256 bits from `RAND_bytes`).
    static let nonceBytes = 32

    static func hash(_ presented: String) -> [UInt8] {
        Crypto.sha256(Array(presented.utf8.prefix(maxTokenBytes)))
    }
}
