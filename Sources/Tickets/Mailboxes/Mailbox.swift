import Foundation

public struct MailboxID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// How a connection to a mail server is protected.
public enum MailSecurity: String, Sendable, Codable, CaseIterable {
    /// TLS from the first byte (IMAP 993, SMTP 465).
    case tls
    /// STARTTLS before anything else (IMAP 143, SMTP 587); fails if the server does not offer it.
    case starttls
    /// No encryption: for a relay on the same host only; credentials are never sent over it.
    case none
}

/// Where and how to reach one mail server. The password is not here: it is stored sealed
/// and only `MailboxService.connectionDetails` opens it, for the mail runtime.
public struct MailServer: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var security: MailSecurity
    public var username: String

    public init(host: String, port: Int, security: MailSecurity, username: String) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
    }
}

/// A help desk mailbox: an address customers write to, read over IMAP and sent from over SMTP.
public struct Mailbox: Sendable, Equatable {
    public let id: MailboxID
    /// A short unique name (`helpdesk ingest --mailbox NAME`).
    public var name: String
    public var address: String
    public var displayName: String
    public var enabled: Bool
    public var imap: MailServer
    public var imapFolder: String
    /// Where taken mail goes; nil: it stays and is flagged \Seen.
    public var moveTo: String?
    public var smtp: MailServer
    /// Verify server certificates (the default; off only for a self-signed server).
    public var verifyCertificates: Bool
    /// The IMAP cursor: UIDVALIDITY and the last UID taken (nil before the first run).
    public var uidValidity: Int64?
    public var lastUID: Int64
    public let createdAt: Date
    public var updatedAt: Date
}

/// The fields of a new mailbox, or the changes to one (nil: leave as is; for `moveTo`,
/// `.some(nil)` clears it). Passwords are write-only.
public struct MailboxDraft: Sendable {
    public var name: String?
    public var address: String?
    public var displayName: String?
    public var enabled: Bool?
    public var imap: MailServerDraft = MailServerDraft()
    public var imapFolder: String?
    public var moveTo: String??
    public var smtp: MailServerDraft = MailServerDraft()
    public var verifyCertificates: Bool?

    public init() {}
}

/// The fields of one server in a `MailboxDraft`.
public struct MailServerDraft: Sendable {
    public var host: String?
    public var port: Int?
    public var security: MailSecurity?
    public var username: String?
    public var password: String?

    public init() {}
}

/// What the mail runtime needs to connect: the mailbox with its passwords opened.
public struct MailboxConnectionDetails: Sendable {
    public let mailbox: Mailbox
    public let imapPassword: String
    public let smtpPassword: String
}

/// Validation of mailbox fields, each naming the offending field.
enum MailboxRules {
    static let maxNameLength = 64
    static let maxTextLength = 320  // the longest an address can be (RFC 5321 4.5.3.1)
    static let maxPasswordBytes = 1024

    static func name(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= maxNameLength,
              name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }) else {
            throw DomainError.validation("name", "Enter a name of letters, digits, '-', '_' or '.' (up to \(maxNameLength)).")
        }
        return name
    }

    static func address(_ raw: String) throws -> String {
        let address = raw.trimmingCharacters(in: .whitespaces)
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), address.count <= maxTextLength,
              !address.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }) else {
            throw DomainError.validation("address", "Enter an email address like support@example.com.")
        }
        return address
    }

    static func displayName(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespaces)
        guard name.count <= 100, !name.contains(where: { $0.isNewline }) else {
            throw DomainError.validation("displayName", "Enter a display name of one line (up to 100 characters).")
        }
        return name
    }

    static func host(_ raw: String, field: String) throws -> String {
        let host = raw.trimmingCharacters(in: .whitespaces)
        guard !host.isEmpty, host.utf8.count <= 253,
              host.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "-.:[]".unicodeScalars.contains($0) }) else {
            throw DomainError.validation(field, "Enter a host name or IP address.")
        }
        return host
    }

    static func port(_ port: Int, field: String) throws -> Int {
        guard (1...65_535).contains(port) else { throw DomainError.validation(field, "Enter a port from 1 to 65535.") }
        return port
    }

    static func username(_ raw: String, field: String) throws -> String {
        guard !raw.isEmpty, raw.count <= maxTextLength, !raw.contains(where: { $0.isNewline }) else {
            throw DomainError.validation(field, "Enter the user name (one line, up to \(maxTextLength) characters).")
        }
        return raw
    }

    static func password(_ raw: String, field: String) throws -> String {
        guard !raw.isEmpty, raw.utf8.count <= maxPasswordBytes, !raw.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
            throw DomainError.validation(field, "Enter the password (one line, up to \(maxPasswordBytes) bytes).")
        }
        return raw
    }

    static func folder(_ raw: String, field: String) throws -> String {
        let folder = raw.trimmingCharacters(in: .whitespaces)
        guard !folder.isEmpty, folder.count <= 200, !folder.contains(where: { $0.isNewline || $0 == "\0" || $0 == "*" || $0 == "%" }) else {
            throw DomainError.validation(field, "Enter a folder name (one line, up to 200 characters, no '*' or '%').")
        }
        return folder
    }
}
