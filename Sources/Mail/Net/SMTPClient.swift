import Foundation

/// An SMTP submission client (RFC 6409 over RFC 5321): STARTTLS (RFC 3207) or implicit TLS
/// (RFC 8314), AUTH PLAIN or LOGIN (RFC 4954), one message per `send`. Blocking: run it on a
/// thread of its own, never on an event loop. Credentials never appear in errors.
public final class SMTPClient {
    /// The longest reply line we accept; RFC 5321 4.5.3.1.5 allows 512, servers send more.
    static let maxReplyLineBytes = 8 * 1024
    /// Reply lines in one reply (EHLO lists a dozen extensions).
    static let maxReplyLines = 100

    private let endpoint: MailEndpoint
    private let clientName: String
    private var connection: MailConnection?
    /// EHLO keywords in upper case, with their parameters ("AUTH" -> "PLAIN LOGIN").
    public private(set) var extensions: [String: String] = [:]

    /// A client for `endpoint`; `clientName` is our host name for EHLO.
    public init(endpoint: MailEndpoint, clientName: String) {
        self.endpoint = endpoint
        self.clientName = clientName.isEmpty ? "localhost" : clientName
    }

    deinit { connection?.close() }

    /// Connects, reads the greeting, says EHLO, and upgrades with STARTTLS when configured.
    /// Returns the TLS version in use, or nil for a plain connection.
    @discardableResult
    public func connect() throws -> String? {
        let connection = try MailConnection(endpoint: endpoint)
        self.connection = connection
        let greeting = try readReply()
        guard greeting.code == 220 else { throw failure(.rejected, "the server refused the session", greeting) }
        try hello()
        if endpoint.security == .startTLS {
            guard extensions["STARTTLS"] != nil else {
                throw MailConnectionError(.tls, "\(endpoint.host) does not offer STARTTLS")
            }
            let reply = try command("STARTTLS")
            guard reply.code == 220 else { throw failure(.tls, "STARTTLS was refused", reply) }
            try connection.startTLS()
            try hello()  // RFC 3207 4.2: forget what was learnt before TLS and ask again
        }
        return connection.tlsVersion
    }

    /// Authenticates with PLAIN when offered, else LOGIN. Refuses to send credentials over an
    /// unencrypted connection.
    public func authenticate(username: String, password: String) throws {
        guard let connection, connection.isEncrypted else {
            throw MailConnectionError(.authentication, "refusing to send credentials over an unencrypted connection")
        }
        let mechanisms = Set((extensions["AUTH"] ?? "").uppercased().split(separator: " ").map(String.init))
        if mechanisms.contains("PLAIN") {
            let token = Base64.encodeLine(Array("\u{0}\(username)\u{0}\(password)".utf8))
            try expectAuthenticated(try command("AUTH PLAIN \(token)"))
        } else if mechanisms.contains("LOGIN") {
            let first = try command("AUTH LOGIN")
            guard first.code == 334 else { throw failure(.authentication, "AUTH LOGIN was refused", first) }
            let second = try command(Base64.encodeLine(Array(username.utf8)))
            guard second.code == 334 else { throw failure(.authentication, "the user name was refused", second) }
            try expectAuthenticated(try command(Base64.encodeLine(Array(password.utf8))))
        } else {
            throw MailConnectionError(.authentication, "\(endpoint.host) offers no AUTH mechanism we support (PLAIN, LOGIN); it offers: \(mechanisms.sorted().joined(separator: " "))")
        }
    }

    private func expectAuthenticated(_ reply: SMTPReply) throws {
        guard reply.code == 235 else { throw failure(.authentication, "authentication failed", reply) }
    }

    /// Sends `message` (CRLF lines) from `envelopeFrom` to `recipients`. Recipients the server
    /// refuses are reported in the result; if it refuses all of them, nothing is sent and this
    /// throws. A connection lost after the final "." throws with `outcomeUnknown` set.
    public func send(envelopeFrom: String, recipients: [String], message: [UInt8]) throws -> SMTPSendResult {
        guard !recipients.isEmpty else { throw MailConnectionError(.rejected, "the message has no recipients") }
        for address in [envelopeFrom] + recipients where address.contains(where: { $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" || $0 == " " }) {
            throw MailConnectionError(.rejected, "\"\(address)\" is not a valid envelope address")
        }
        if let limit = extensions["SIZE"].flatMap({ Int($0) }), limit > 0, message.count > limit {
            throw MailConnectionError(.tooLarge, "the message is \(message.count) bytes; \(endpoint.host) accepts at most \(limit)")
        }
        let sizeParameter = extensions["SIZE"] != nil ? " SIZE=\(message.count)" : ""
        let mail = try command("MAIL FROM:<\(envelopeFrom)>\(sizeParameter)")
        guard mail.isPositive else { throw failure(.rejected, "the sender <\(envelopeFrom)> was refused", mail) }
        var accepted: [String] = []
        var refused: [(String, SMTPReply)] = []
        for recipient in recipients {
            let reply = try command("RCPT TO:<\(recipient)>")
            if reply.isPositive { accepted.append(recipient) } else { refused.append((recipient, reply)) }
        }
        guard !accepted.isEmpty else {
            _ = try? command("RSET")
            let (address, reply) = refused[0]
            throw failure(.rejected, "every recipient was refused, first <\(address)>", reply)
        }
        let data = try command("DATA")
        guard data.code == 354 else { throw failure(.rejected, "DATA was refused", data) }
        try connection!.write(Self.dotStuffed(message))
        let final: SMTPReply
        do {
            final = try readReply()
        } catch let error as MailConnectionError {
            throw MailConnectionError(error.kind, "no answer after the message was sent (\(error.message)); it may have been delivered",
                                      outcomeUnknown: true)
        }
        guard final.isPositive else { throw failure(.rejected, "the message was refused", final) }
        return SMTPSendResult(accepted: accepted, refused: refused.map { SMTPSendResult.Refusal(recipient: $0.0, reply: $0.1) },
                              serverReply: final)
    }

    /// Says QUIT and closes (errors ignored: the message, if any, is already accepted).
    public func quit() {
        _ = try? command("QUIT")
        connection?.close()
        connection = nil
    }

    /// RFC 5321 4.5.2: a line starting with "." gets another "."; bare LFs become CRLF; the data
    /// ends with CRLF "." CRLF.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(message.count + message.count / 50 + 5)
        var atLineStart = true
        for (i, b) in message.enumerated() {
            if atLineStart && b == UInt8(ascii: ".") { out.append(b) }
            if b == 0x0A && (i == 0 || message[i - 1] != 0x0D) { out.append(0x0D) }
            out.append(b)
            atLineStart = b == 0x0A
        }
        if !atLineStart { out += [0x0D, 0x0A] }
        out += Array(".\r\n".utf8)
        return out
    }

    private func hello() throws {
        let reply = try command("EHLO \(clientName)")
        guard reply.isPositive else { throw failure(.rejected, "EHLO was refused", reply) }
        extensions = [:]
        for line in reply.lines.dropFirst() {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard let keyword = parts.first else { continue }
            extensions[keyword.uppercased()] = parts.count > 1 ? String(parts[1]) : ""
        }
    }

    /// Sends one command line and reads the reply. Errors quote the reply, never the command,
    /// so credentials sent in a command cannot leak into a message.
    private func command(_ line: String) throws -> SMTPReply {
        guard let connection else { throw MailConnectionError(.closed, "not connected") }
        try connection.write(line + "\r\n")
        return try readReply()
    }

    private func readReply() throws -> SMTPReply {
        guard let connection else { throw MailConnectionError(.closed, "not connected") }
        var partial: (code: Int?, lines: [String]) = (nil, [])
        while true {
            let line = try connection.readLine(maxBytes: Self.maxReplyLineBytes)
            if try SMTPReply.accumulate(line, into: &partial) { break }
            guard partial.lines.count < Self.maxReplyLines else {
                throw MailConnectionError(.protocolViolation, "the server sent a reply of more than \(Self.maxReplyLines) lines")
            }
        }
        return SMTPReply(code: partial.code!, lines: partial.lines)
    }

    private func failure(_ kind: MailConnectionError.Kind, _ what: String, _ reply: SMTPReply) -> MailConnectionError {
        MailConnectionError(kind, "\(what): \(reply)", replyCode: reply.code)
    }
}

/// What the server did with a message.
public struct SMTPSendResult: Sendable, Equatable {
    public struct Refusal: Sendable, Equatable {
        public let recipient: String
        public let reply: SMTPReply
    }

    public let accepted: [String]
    public let refused: [Refusal]
    /// The reply to the end of DATA (often with the server's queue id).
    public let serverReply: SMTPReply
}
