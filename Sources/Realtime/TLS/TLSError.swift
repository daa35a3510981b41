import COpenSSL

/// A TLS set-up failure (unreadable certificate, key not matching it, ...), with the
/// reasons OpenSSL gave. Never carries key material.
public struct TLSError: Error, CustomStringConvertible, Sendable {
    public let message: String

    public var description: String { message }

    /// `what` followed by the reasons queued in OpenSSL's error queue, which it empties
    /// (the queue is per thread; a stale entry would confuse the next `SSL_get_error`).
    static func openSSL(_ what: String) -> TLSError {
        let reasons = drainErrorQueue()
        return TLSError(message: reasons.isEmpty ? what : "\(what): \(reasons.joined(separator: "; "))")
    }

    /// The queued OpenSSL errors as text, oldest first; the queue is left empty.
    static func drainErrorQueue() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            reasons.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons
    }
}
