import COpenSSL
import Foundation

/// The only file that touches OpenSSL: random bytes, SHA-256, HMAC-SHA256, PBKDF2-HMAC-SHA256,
/// constant-time comparison and AES-256-GCM.
enum Crypto {
    /// `count` cryptographically secure random bytes from `RAND_bytes`.
    /// Traps if the generator fails: continuing without randomness would mint guessable tokens.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let rc = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        precondition(rc == 1, "RAND_bytes failed")
        return bytes
    }

    /// The SHA-256 digest of `bytes` (32 bytes).
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            _ = digest.withUnsafeMutableBufferPointer { SHA256(input.baseAddress, input.count, $0.baseAddress) }
        }
        return digest
    }

    /// The SHA-256 digest of the UTF-8 bytes of `string`.
    static func sha256(_ string: String) -> [UInt8] { sha256(Array(string.utf8)) }

    /// An incremental SHA-256 hasher for streamed data.
    final class SHA256Hasher {
        private let context: OpaquePointer

        init() {
            context = EVP_MD_CTX_new()
            EVP_DigestInit_ex(context, EVP_sha256(), nil)
        }
        deinit { EVP_MD_CTX_free(context) }

        /// Feeds `buffer` into the digest.
        func update(_ buffer: UnsafeRawBufferPointer) {
            EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }

        /// Finishes and returns the 32-byte digest.
        func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
            var length: UInt32 = 0
            EVP_DigestFinal_ex(context, &digest, &length)
            return Array(digest.prefix(Int(length)))
        }
    }

    /// PBKDF2-HMAC-SHA256 of `password` with `salt` and `iterations`, `length` bytes long.
    static func pbkdf2SHA256(password: String, salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: length)
        let passwordLength = Int32(password.utf8.count)
        let rc = salt.withUnsafeBufferPointer { s in
            output.withUnsafeMutableBufferPointer { out in
                PKCS5_PBKDF2_HMAC(
                    password, passwordLength, s.baseAddress, Int32(s.count),
                    Int32(iterations), EVP_sha256(), Int32(length), out.baseAddress)
            }
        }
        precondition(rc == 1, "PKCS5_PBKDF2_HMAC failed")
        return output
    }

    /// AES-256-GCM of `plaintext` under the 32-byte `key` with a fresh random 96-bit nonce,
    /// authenticating `context` too (so a sealed value cannot be moved to another purpose).
    /// Returns nonce (12 bytes) + ciphertext + tag (16 bytes).
    static func seal(_ plaintext: [UInt8], key: [UInt8], context: [UInt8]) -> [UInt8] {
        precondition(key.count == 32, "AES-256 needs a 32-byte key")
        let nonce = randomBytes(12)
        guard let ctx = EVP_CIPHER_CTX_new() else { preconditionFailure("EVP_CIPHER_CTX_new failed") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: Int32 = 0
        var tag = [UInt8](repeating: 0, count: 16)
        let ok = EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1
            && (context.isEmpty || EVP_EncryptUpdate(ctx, nil, &length, context, Int32(context.count)) == 1)
            && EVP_EncryptUpdate(ctx, &out, &length, plaintext, Int32(plaintext.count)) == 1
        let written = Int(length)
        var final: Int32 = 0
        let finished = ok && out.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(ctx, $0.baseAddress! + written, &final) } == 1
            && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1
        precondition(finished, "AES-256-GCM encryption failed")
        return nonce + out.prefix(written + Int(final)) + tag
    }

    /// Opens what `seal` produced with the same key and context; nil when it was altered,
    /// sealed under another key or context, or is too short.
    static func open(_ sealed: [UInt8], key: [UInt8], context: [UInt8]) -> [UInt8]? {
        guard key.count == 32, sealed.count >= 28 else { return nil }
        let nonce = Array(sealed.prefix(12))
        var tag = Array(sealed.suffix(16))
        let body = Array(sealed[12..<(sealed.count - 16)])
        guard let ctx = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: body.count + 16)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1,
              context.isEmpty || EVP_DecryptUpdate(ctx, nil, &length, context, Int32(context.count)) == 1,
              EVP_DecryptUpdate(ctx, &out, &length, body, Int32(body.count)) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, &tag) == 1 else { return nil }
        let written = Int(length)
        var final: Int32 = 0
        let verified = out.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(ctx, $0.baseAddress! + written, &final) } == 1
        return verified ? Array(out.prefix(written + Int(final))) : nil
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let result = HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &out, &length)
        precondition(result != nil && length == 32, "HMAC-SHA256 failed")
        return out
    }

    /// Compares two byte strings in time independent of where they differ (`CRYPTO_memcmp`).
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }
}

/// Lower-case hexadecimal and URL-safe base64 encodings for tokens and digests.
enum Encoding {
    /// Lower-case hexadecimal of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes from hexadecimal, or nil when `string` is not valid hex.
    static func fromHex(_ string: String) -> [UInt8]? {
        let chars = Array(string.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        var index = 0
        while index < chars.count {
            guard let hi = nibble(chars[index]), let lo = nibble(chars[index + 1]) else { return nil }
            out.append(hi << 4 | lo)
            index += 2
        }
        return out
    }

    /// URL-safe base64 without padding.
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Bytes from URL-safe base64 without padding, or nil when invalid.
    static func fromBase64URL(_ string: String) -> [UInt8]? {
        var text = string.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return Data(base64Encoded: text).map { Array($0) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
