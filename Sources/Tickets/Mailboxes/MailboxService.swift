import Foundation

/// Mailboxes, managed by administrators (`account.manage`). Passwords are write-only: they
/// are sealed with the data folder's `CredentialKey` on the way in, never returned, and
/// never written to the audit log (which records only that one changed).
public final class MailboxService: Sendable {
    let database: Database
    let now: Clock
    let key: CredentialKey

    /// Mailboxes an account may have: each one is a thread polling a server.
    public static let maxMailboxes = 50

    private static let imapPurpose = "mailbox.imap", smtpPurpose = "mailbox.smtp"

    public init(database: Database, key: CredentialKey, now: @escaping Clock) {
        self.database = database
        self.key = key
        self.now = now
    }

    /// Every mailbox by name. Needs `account.manage`.
    public func list(for actor: Actor) async throws -> [Mailbox] {
        try require(.accountManage, for: actor)
        return try await database.read { db in try MailboxRecord.all(db) }
    }

    /// Mailbox `id`. Needs `account.manage`. Throws `.notFound`.
    public func mailbox(_ id: MailboxID, for actor: Actor) async throws -> Mailbox {
        try require(.accountManage, for: actor)
        return try await database.read { db in try MailboxRecord.load(id, db) }
    }

    /// Creates a mailbox; every field is required except `enabled` (true), `displayName`
    /// (empty), `imapFolder` ("INBOX"), `moveTo` (none) and `verifyCertificates` (true).
    /// Needs `account.manage`. Throws `.validation(field)` or `.conflict` for a taken name.
    public func create(_ draft: MailboxDraft, by actor: Actor) async throws -> Mailbox {
        try require(.accountManage, for: actor)
        func required<T>(_ value: T?, _ field: String) throws -> T {
            guard let value else { throw DomainError.validation(field, "This field is required.") }
            return value
        }
        let at = now()
        let mailbox = Mailbox(
            id: MailboxID(0), name: try MailboxRules.name(try required(draft.name, "name")),
            address: try MailboxRules.address(try required(draft.address, "address")),
            displayName: try MailboxRules.displayName(draft.displayName ?? ""), enabled: draft.enabled ?? true,
            imap: try Self.server(draft.imap, prefix: "imap"),
            imapFolder: try MailboxRules.folder(draft.imapFolder ?? "INBOX", field: "imapFolder"),
            moveTo: try (draft.moveTo ?? nil).map { try MailboxRules.folder($0, field: "moveTo") },
            smtp: try Self.server(draft.smtp, prefix: "smtp"), verifyCertificates: draft.verifyCertificates ?? true,
            uidValidity: nil, lastUID: 0, createdAt: at, updatedAt: at)
        let imapPassword = key.seal(try MailboxRules.password(try required(draft.imap.password, "imap.password"), field: "imap.password"),
                                    purpose: Self.imapPurpose)
        let smtpPassword = key.seal(try MailboxRules.password(try required(draft.smtp.password, "smtp.password"), field: "smtp.password"),
                                    purpose: Self.smtpPurpose)
        return try await database.write { db in
            guard try !MailboxRecord.nameTaken(mailbox.name, except: nil, db) else {
                throw DomainError(.conflict, "A mailbox is already called \(mailbox.name).", field: "name")
            }
            guard try MailboxRecord.count(db) < Self.maxMailboxes else {
                throw DomainError(.conflict, "An account can have at most \(Self.maxMailboxes) mailboxes.")
            }
            let created = try MailboxRecord.insert(mailbox, imapPassword: imapPassword, smtpPassword: smtpPassword, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .mailboxCreated, before: nil,
                                after: Self.auditValues(created, passwordsChanged: true), at: at, subject: created.id.rawValue)
            return created
        }
    }

    /// Changes the fields `draft` sets (a password only when given). Moving the mailbox to
    /// another IMAP server, user or folder resets its cursor. Needs `account.manage`.
    /// Throws `.notFound`, `.validation(field)`, `.conflict`.
    public func update(_ id: MailboxID, _ draft: MailboxDraft, by actor: Actor) async throws -> Mailbox {
        try require(.accountManage, for: actor)
        let name = try draft.name.map(MailboxRules.name)
        let address = try draft.address.map(MailboxRules.address)
        let displayName = try draft.displayName.map(MailboxRules.displayName)
        let folder = try draft.imapFolder.map { try MailboxRules.folder($0, field: "imapFolder") }
        let moveTo = try draft.moveTo.map { try $0.map { try MailboxRules.folder($0, field: "moveTo") } }
        let imapPassword = try draft.imap.password.map { key.seal(try MailboxRules.password($0, field: "imap.password"), purpose: Self.imapPurpose) }
        let smtpPassword = try draft.smtp.password.map { key.seal(try MailboxRules.password($0, field: "smtp.password"), purpose: Self.smtpPurpose) }
        let at = now()
        return try await database.write { db in
            let current = try MailboxRecord.load(id, db)
            var next = current
            if let name { next.name = name }
            if let address { next.address = address }
            if let displayName { next.displayName = displayName }
            if let enabled = draft.enabled { next.enabled = enabled }
            next.imap = try Self.server(draft.imap, prefix: "imap", current: current.imap)
            if let folder { next.imapFolder = folder }
            if let moveTo { next.moveTo = moveTo }
            next.smtp = try Self.server(draft.smtp, prefix: "smtp", current: current.smtp)
            if let verify = draft.verifyCertificates { next.verifyCertificates = verify }
            if next.imap.host != current.imap.host || next.imap.username != current.imap.username || next.imapFolder != current.imapFolder {
                // A different mailbox on the server: its UIDs are not ours.
                next.uidValidity = nil
                next.lastUID = 0
            }
            guard next != current || imapPassword != nil || smtpPassword != nil else { return current }
            if next.name != current.name, try MailboxRecord.nameTaken(next.name, except: id, db) {
                throw DomainError(.conflict, "A mailbox is already called \(next.name).", field: "name")
            }
            next.updatedAt = at
            try MailboxRecord.update(next, imapPassword: imapPassword, smtpPassword: smtpPassword, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .mailboxUpdated,
                                before: Self.auditValues(current, passwordsChanged: false),
                                after: Self.auditValues(next, passwordsChanged: imapPassword != nil || smtpPassword != nil),
                                at: at, subject: id.rawValue)
            return next
        }
    }

    /// Deletes mailbox `id`. Needs `account.manage`. Throws `.notFound`.
    public func delete(_ id: MailboxID, by actor: Actor) async throws {
        try require(.accountManage, for: actor)
        let at = now()
        try await database.write { db in
            let current = try MailboxRecord.load(id, db)
            try MailboxRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .mailboxDeleted,
                                before: Self.auditValues(current, passwordsChanged: false), after: nil, at: at, subject: id.rawValue)
        }
    }

    /// The mailbox with its passwords opened, for connecting (test connection, the mail
    /// runtime). Needs `account.manage` (the system has it). Throws `.notFound`, or
    /// `.validation("credentialKey")` when the passwords were sealed with another key.
    public func connectionDetails(_ id: MailboxID, for actor: Actor) async throws -> MailboxConnectionDetails {
        try require(.accountManage, for: actor)
        let (mailbox, sealed) = try await database.read { db in (try MailboxRecord.load(id, db), try MailboxRecord.sealed(id, db)) }
        guard let imap = key.open(sealed.imap, purpose: Self.imapPurpose), let smtp = key.open(sealed.smtp, purpose: Self.smtpPurpose) else {
            throw DomainError.validation("credentialKey", "The stored passwords cannot be opened with this data folder's \(CredentialKey.fileName); enter them again.")
        }
        return MailboxConnectionDetails(mailbox: mailbox, imapPassword: imap, smtpPassword: smtp)
    }

    /// The key that signs subject tokens (`SubjectToken`) and seals passwords.
    public var credentialKey: CredentialKey { key }

    /// Enabled mailboxes with their passwords opened, for the mail runtime (system only).
    /// A mailbox whose passwords cannot be opened is left out and named in `unreadable`.
    public func enabledConnectionDetails() async throws -> (ready: [MailboxConnectionDetails], unreadable: [String]) {
        let enabled = try await database.read { db in try MailboxRecord.all(db).filter(\.enabled) }
        var ready: [MailboxConnectionDetails] = []
        var unreadable: [String] = []
        for mailbox in enabled {
            do { ready.append(try await connectionDetails(mailbox.id, for: .system)) } catch { unreadable.append(mailbox.name) }
        }
        return (ready, unreadable)
    }

    /// Moves the IMAP cursor past a message that could not be taken at all (unreadable), so
    /// the mailbox does not stall on it. Never moves it backwards.
    public func skipPast(_ id: MailboxID, uidValidity: Int64, uid: Int64) async throws {
        try await database.write { db in
            try MailboxRecord.advanceCursor(id, uidValidity: uidValidity, uid: uid, db)
        }
    }

    /// The mailbox called `name` (any case). Needs `account.manage`. Throws `.notFound`.
    public func mailbox(named name: String, for actor: Actor) async throws -> Mailbox {
        try require(.accountManage, for: actor)
        return try await database.read { db in try MailboxRecord.load(named: name, db) }
    }

    private static func server(_ draft: MailServerDraft, prefix: String, current: MailServer? = nil) throws -> MailServer {
        func required<T>(_ value: T?, _ fallback: T?, _ field: String) throws -> T {
            guard let value = value ?? fallback else { throw DomainError.validation(field, "This field is required.") }
            return value
        }
        return MailServer(
            host: try MailboxRules.host(try required(draft.host, current?.host, prefix + ".host"), field: prefix + ".host"),
            port: try MailboxRules.port(try required(draft.port, current?.port, prefix + ".port"), field: prefix + ".port"),
            security: try required(draft.security, current?.security, prefix + ".security"),
            username: try MailboxRules.username(try required(draft.username, current?.username, prefix + ".username"),
                                                field: prefix + ".username"))
    }

    static func auditValues(_ m: Mailbox, passwordsChanged: Bool) -> AuditLog.Values {
        ["mailboxID": .int(m.id.rawValue), "name": .string(m.name), "address": .string(m.address), "enabled": .bool(m.enabled),
         "imap": .string("\(m.imap.security.rawValue)://\(m.imap.username)@\(m.imap.host):\(m.imap.port)/\(m.imapFolder)"),
         "smtp": .string("\(m.smtp.security.rawValue)://\(m.smtp.username)@\(m.smtp.host):\(m.smtp.port)"),
         "moveTo": .optional(m.moveTo), "verifyCertificates": .bool(m.verifyCertificates),
         "passwordsChanged": .bool(passwordsChanged)]
    }
}
