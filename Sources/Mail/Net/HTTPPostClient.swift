import Foundation
import Glibc

/// A blocking HTTP/1.1 POST for the webhook sender's own thread (never an event loop), on the
/// same socket and TLS session as the mail clients: timeouts on connect, handshake and each
/// read or write, certificate and host name verification, a bounded response, one request
/// per connection (`Connection: close`). Only the status and the first bytes of the body
/// are kept: a webhook's answer is its status.
public struct HTTPPostClient: Sendable {
    /// Connect, TLS handshake and each read or write: a receiver silent for longer fails the
    /// attempt (it is retried), so one slow receiver holds the sender at most this long per step.
    public var timeoutSeconds: Double = 10
    /// Response bytes read at most (status line, headers and body): enough for any error text.
    public var maxResponseBytes = 64 * 1024
    /// Refuse link-local addresses (169.254.0.0/16, where cloud metadata services answer,
    /// and fe80::/10): an administrator's webhook URL must not reach the host's credentials.
    /// Loopback and private networks stay allowed (a webhook to an internal service is common).
    public var refuseLinkLocal = true
    /// A PEM file of trusted CAs instead of the system's store.
    public var caFile: String?

    public init() {}

    public struct Response: Sendable, Equatable {
        public let status: Int
        /// The start of the body (up to what `maxResponseBytes` left).
        public let body: [UInt8]
    }

    /// Why an attempt failed before a status arrived.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// Whether `url` is one this client can post to: http or https, a host, no user info
    /// (credentials in URLs end up in logs). Returns why not, or nil.
    public static func refusal(of url: String) -> String? {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), ["http", "https"].contains(scheme) else {
            return "Use an http:// or https:// URL."
        }
        guard let host = parsed.host, !host.isEmpty else { return "The URL has no host." }
        if parsed.user != nil || parsed.password != nil { return "Leave credentials out of the URL." }
        return nil
    }

    /// POSTs `body` to `url` with `headers` (plus Host, Content-Length and Connection). Returns
    /// the response status, whatever it is; throws `Failure` when none arrived.
    public func post(url: String, headers: [(String, String)], body: [UInt8]) throws -> Response {
        if let refusal = Self.refusal(of: url) { throw Failure(description: refusal) }
        let parsed = URL(string: url)!
        let tls = parsed.scheme?.lowercased() == "https"
        let host = parsed.host!
        let port = parsed.port ?? (tls ? 443 : 80)
        var target = parsed.path.isEmpty ? "/" : parsed.path
        if let query = parsed.query { target += "?" + query }
        let endpoint = MailEndpoint(host: host, port: port, security: tls ? .implicitTLS : .none, caFile: caFile,
                                    timeoutSeconds: timeoutSeconds)
        let connection: MailConnection
        do {
            let admit: ((UnsafePointer<sockaddr>) -> String?)? = refuseLinkLocal ? { Self.linkLocalRefusal($0) } : nil
            connection = try MailConnection(endpoint: endpoint, admit: admit)
        } catch let error as MailConnectionError {
            throw Failure(description: "\(error.kind.rawValue): \(error.message)")
        }
        defer { connection.close() }
        let hostHeader = parsed.port.map { "\(host):\($0)" } ?? host
        var head = "POST \(target) HTTP/1.1\r\nHost: \(hostHeader)\r\nContent-Length: \(body.count)\r\nConnection: close\r\n"
        for (name, value) in headers where !name.contains(where: \.isNewline) && !value.contains(where: \.isNewline) {
            head += "\(name): \(value)\r\n"
        }
        do {
            try connection.write(Array((head + "\r\n").utf8) + body)
            let statusLine = String(decoding: try connection.readLine(maxBytes: 1_024), as: UTF8.self)
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]), (100...599).contains(status) else {
                throw Failure(description: "not an HTTP response: \(statusLine.prefix(80))")
            }
            var left = maxResponseBytes - statusLine.utf8.count
            var length: Int?
            while left > 0 {
                let line = try connection.readLine(maxBytes: min(left, 8_192))
                left -= line.count + 2
                if line.isEmpty { break }
                let text = String(decoding: line, as: UTF8.self)
                if text.lowercased().hasPrefix("content-length:") { length = Int(text.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
            }
            let wanted = min(max(left, 0), length ?? 0)
            let start = wanted > 0 ? (try? connection.readExactly(wanted)) ?? [] : []
            return Response(status: status, body: start)
        } catch let error as MailConnectionError {
            throw Failure(description: "\(error.kind.rawValue): \(error.message)")
        }
    }

    /// Refuses IPv4 169.254.0.0/16 and IPv6 fe80::/10 (and IPv4-mapped link-local).
    static func linkLocalRefusal(_ address: UnsafePointer<sockaddr>) -> String? {
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            let v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            let bytes = withUnsafeBytes(of: v4) { Array($0) }
            return bytes[0] == 169 && bytes[1] == 254 ? "refused: a link-local address (cloud metadata lives there)" : nil
        case AF_INET6:
            let bytes = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { p in withUnsafeBytes(of: p.pointee.sin6_addr) { Array($0) } }
            if bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80 { return "refused: a link-local address" }
            let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
            return mapped && bytes[12] == 169 && bytes[13] == 254 ? "refused: a link-local address (cloud metadata lives there)" : nil
        default:
            return nil
        }
    }
}
