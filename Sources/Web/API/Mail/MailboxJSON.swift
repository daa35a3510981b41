import Foundation
import Realtime
import Tickets

/// A mailbox as the API shows it: never a password, only whether the server has one.
struct MailboxJSON: Encodable, Sendable {
    let mailbox: Mailbox

    private enum Keys: String, CodingKey {
        case id, name, address, displayName, enabled, imap, imapFolder, moveTo, smtp, verifyCertificates, cursor, createdAt, updatedAt
    }

    private struct ServerJSON: Encodable {
        let host: String
        let port: Int
        let security: String
        let username: String
        let passwordSet = true
    }

    private struct CursorJSON: Encodable {
        let uidValidity: Int64
        let lastUid: Int64
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        let m = mailbox
        try c.encode(m.id.rawValue, forKey: .id)
        try c.encode(m.name, forKey: .name)
        try c.encode(m.address, forKey: .address)
        try c.encode(m.displayName, forKey: .displayName)
        try c.encode(m.enabled, forKey: .enabled)
        try c.encode(ServerJSON(host: m.imap.host, port: m.imap.port, security: m.imap.security.rawValue, username: m.imap.username),
                     forKey: .imap)
        try c.encode(m.imapFolder, forKey: .imapFolder)
        try c.encode(m.moveTo, forKey: .moveTo)
        try c.encode(ServerJSON(host: m.smtp.host, port: m.smtp.port, security: m.smtp.security.rawValue, username: m.smtp.username),
                     forKey: .smtp)
        try c.encode(m.verifyCertificates, forKey: .verifyCertificates)
        try c.encode(m.uidValidity.map { CursorJSON(uidValidity: $0, lastUid: m.lastUID) }, forKey: .cursor)
        try c.encode(m.createdAt, forKey: .createdAt)
        try c.encode(m.updatedAt, forKey: .updatedAt)
    }
}

/// `POST` and `PATCH /api/mailboxes`: only the keys present change; `moveTo: null` clears.
/// `imap` and `smtp` are objects with `host`, `port`, `security`, `username`, `password`.
struct MailboxBody: Decodable {
    let draft: MailboxDraft

    private enum Keys: String, CodingKey { case name, address, displayName, enabled, imap, imapFolder, moveTo, smtp, verifyCertificates }
    private enum ServerKeys: String, CodingKey { case host, port, security, username, password }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var draft = MailboxDraft()
        draft.name = try c.decodeIfPresent(String.self, forKey: .name)
        draft.address = try c.decodeIfPresent(String.self, forKey: .address)
        draft.displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        draft.enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled)
        draft.imapFolder = try c.decodeIfPresent(String.self, forKey: .imapFolder)
        if c.contains(.moveTo) {
            draft.moveTo = .some(try c.decodeNil(forKey: .moveTo) ? nil : try c.decode(String.self, forKey: .moveTo))
        }
        draft.verifyCertificates = try c.decodeIfPresent(Bool.self, forKey: .verifyCertificates)
        draft.imap = try Self.server(c, .imap)
        draft.smtp = try Self.server(c, .smtp)
        self.draft = draft
    }

    private static func server(_ c: KeyedDecodingContainer<Keys>, _ key: Keys) throws -> MailServerDraft {
        var server = MailServerDraft()
        guard c.contains(key) else { return server }
        let s = try c.nestedContainer(keyedBy: ServerKeys.self, forKey: key)
        server.host = try s.decodeIfPresent(String.self, forKey: .host)
        server.port = try s.decodeIfPresent(Int.self, forKey: .port)
        if let raw = try s.decodeIfPresent(String.self, forKey: .security) {
            guard let security = MailSecurity(rawValue: raw) else {
                throw ProblemError.unprocessable("Use tls, starttls or none.", field: key.rawValue + ".security")
            }
            server.security = security
        }
        server.username = try s.decodeIfPresent(String.self, forKey: .username)
        server.password = try s.decodeIfPresent(String.self, forKey: .password)
        return server
    }
}
