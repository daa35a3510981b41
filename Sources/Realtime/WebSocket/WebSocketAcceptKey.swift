import COpenSSL

/// `Sec-WebSocket-Key` checking and `Sec-WebSocket-Accept` computation (RFC 6455 section 4.2.2).
enum WebSocketAcceptKey {
    /// The GUID appended to the key before hashing (RFC 6455 section 1.3).
    static let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// base64(SHA-1(key + GUID)).
    static func accept(forKey key: String) -> String {
        let input = Array((key + guid).utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = EVP_Digest(input, input.count, &digest, &length, EVP_sha1(), nil)
        precondition(status == 1 && length == 20, "EVP_Digest(SHA-1) failed")
        return base64(digest[..<Int(length)])
    }

    /// Whether `key` is the base64 encoding of exactly 16 bytes (RFC 6455 section 4.1):
    /// 22 alphabet characters, the last with its 4 unused bits clear, then "==".
    static func isValidKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard bytes.count == 24, bytes[22] == UInt8(ascii: "="), bytes[23] == UInt8(ascii: "=") else { return false }
        for (i, c) in bytes[..<22].enumerated() {
            guard let value = alphabet.firstIndex(of: c) else { return false }
            if i == 21 && value & 0x0F != 0 { return false }
        }
        return true
    }

    /// Standard base64 with padding (RFC 4648 section 4).
    static func base64<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity((data.count + 2) / 3 * 4)
        var iterator = data.makeIterator()
        while let a = iterator.next() {
            let b = iterator.next(), c = iterator.next()
            let n = UInt32(a) << 16 | UInt32(b ?? 0) << 8 | UInt32(c ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(b == nil ? UInt8(ascii: "=") : alphabet[Int(n >> 6 & 63)])
            out.append(c == nil ? UInt8(ascii: "=") : alphabet[Int(n & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
