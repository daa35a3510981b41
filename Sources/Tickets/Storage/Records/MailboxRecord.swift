import Foundation

/// Mailbox rows on the caller's connection. The sealed passwords are read only by `sealed`.
enum MailboxRecord {
    static let columns = """
        id, name, address, display_name, enabled, imap_host, imap_port, imap_security, imap_username, imap_folder,
        imap_move_to, smtp_host, smtp_port, smtp_security, smtp_username, verify_certificates, uid_validity, last_uid,
        created_at, updated_at
        """

    static func mailbox(_ row: Row) -> Mailbox {
        Mailbox(
            id: MailboxID(row.int64(0)), name: row.text(1), address: row.text(2), displayName: row.text(3),
            enabled: row.bool(4),
            imap: MailServer(host: row.text(5), port: row.int(6), security: MailSecurity(rawValue: row.text(7)) ?? .tls,
                             username: row.text(8)),
            imapFolder: row.text(9), moveTo: row.optionalText(10),
            smtp: MailServer(host: row.text(11), port: row.int(12), security: MailSecurity(rawValue: row.text(13)) ?? .starttls,
                             username: row.text(14)),
            verifyCertificates: row.bool(15), uidValidity: row.optionalInt64(16), lastUID: row.int64(17),
            createdAt: row.date(18), updatedAt: row.date(19))
    }

    /// Mailbox `id` or `.notFound`.
    static func load(_ id: MailboxID, _ db: Connection) throws -> Mailbox {
        guard let row = try db.first("SELECT \(columns) FROM mailboxes WHERE id = ?", [.integer(id.rawValue)]) else {
            throw DomainError.notFound("Mailbox")
        }
        return mailbox(row)
    }

    /// Mailbox called `name` (any case: compared lower-cased, not by the column's collation,
    /// so PostgreSQL answers alike) or `.notFound`.
    static func load(named name: String, _ db: Connection) throws -> Mailbox {
        guard let row = try db.first("SELECT \(columns) FROM mailboxes WHERE lower(name) = lower(?)", [.text(name)]) else {
            throw DomainError.notFound("Mailbox")
        }
        return mailbox(row)
    }

    /// Every mailbox by name (any case), then id.
    static func all(_ db: Connection) throws -> [Mailbox] {
        try db.query("SELECT \(columns) FROM mailboxes ORDER BY lower(name), id").map(mailbox)
    }

    /// How many mailboxes exist.
    static func count(_ db: Connection) throws -> Int {
        try db.first("SELECT COUNT(*) FROM mailboxes")?.int(0) ?? 0
    }

    /// Deletes mailbox `id`.
    static func delete(_ id: MailboxID, _ db: Connection) throws {
        try db.run("DELETE FROM mailboxes WHERE id = ?", [.integer(id.rawValue)])
    }

    /// Moves the IMAP cursor of mailbox `id` to (`uidValidity`, `uid`), never backwards within
    /// one UID validity (a new validity always replaces the old one).
    static func advanceCursor(_ id: MailboxID, uidValidity: Int64, uid: Int64, _ db: Connection) throws {
        try db.run("""
            UPDATE mailboxes SET uid_validity = ?, last_uid = ?
            WHERE id = ? AND (uid_validity IS NULL OR uid_validity <> ? OR last_uid < ?)
            """, [.integer(uidValidity), .integer(uid), .integer(id.rawValue), .integer(uidValidity), .integer(uid)])
    }

    /// The sealed IMAP and SMTP passwords of `id`.
    static func sealed(_ id: MailboxID, _ db: Connection) throws -> (imap: [UInt8], smtp: [UInt8]) {
        guard let row = try db.first("SELECT imap_password, smtp_password FROM mailboxes WHERE id = ?", [.integer(id.rawValue)]) else {
            throw DomainError.notFound("Mailbox")
        }
        return (row.blob(0), row.blob(1))
    }

    /// Whether another mailbox than `except` is called `name` (any case).
    static func nameTaken(_ name: String, except: MailboxID?, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM mailboxes WHERE lower(name) = lower(?) AND id <> ?",
                     [.text(name), .integer(except?.rawValue ?? 0)]) != nil
    }

    static func insert(_ m: Mailbox, imapPassword: [UInt8], smtpPassword: [UInt8], _ db: Connection) throws -> Mailbox {
        let insertedID = try db.insert("""
            INSERT INTO mailboxes (name, address, display_name, enabled, imap_host, imap_port, imap_security, imap_username,
                imap_password, imap_folder, imap_move_to, smtp_host, smtp_port, smtp_security, smtp_username, smtp_password,
                verify_certificates, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(m.name), .text(m.address), .text(m.displayName), .bool(m.enabled), .text(m.imap.host), .int(m.imap.port),
                  .text(m.imap.security.rawValue), .text(m.imap.username), .blob(imapPassword), .text(m.imapFolder),
                  .optional(m.moveTo), .text(m.smtp.host), .int(m.smtp.port), .text(m.smtp.security.rawValue),
                  .text(m.smtp.username), .blob(smtpPassword), .bool(m.verifyCertificates), .date(m.createdAt),
                  .date(m.updatedAt)])
        return try load(MailboxID(insertedID), db)
    }

    /// Writes the editable fields of `m`, and a password only when one is given.
    static func update(_ m: Mailbox, imapPassword: [UInt8]?, smtpPassword: [UInt8]?, _ db: Connection) throws {
        try db.run("""
            UPDATE mailboxes SET name = ?, address = ?, display_name = ?, enabled = ?, imap_host = ?, imap_port = ?,
                imap_security = ?, imap_username = ?, imap_folder = ?, imap_move_to = ?, smtp_host = ?, smtp_port = ?,
                smtp_security = ?, smtp_username = ?, verify_certificates = ?, uid_validity = ?, last_uid = ?, updated_at = ?
            WHERE id = ?
            """, [.text(m.name), .text(m.address), .text(m.displayName), .bool(m.enabled), .text(m.imap.host), .int(m.imap.port),
                  .text(m.imap.security.rawValue), .text(m.imap.username), .text(m.imapFolder), .optional(m.moveTo),
                  .text(m.smtp.host), .int(m.smtp.port), .text(m.smtp.security.rawValue), .text(m.smtp.username),
                  .bool(m.verifyCertificates), .optional(m.uidValidity), .integer(m.lastUID), .date(m.updatedAt),
                  .integer(m.id.rawValue)])
        if let imapPassword {
            try db.run("UPDATE mailboxes SET imap_password = ? WHERE id = ?", [.blob(imapPassword), .integer(m.id.rawValue)])
        }
        if let smtpPassword {
            try db.run("UPDATE mailboxes SET smtp_password = ? WHERE id = ?", [.blob(smtpPassword), .integer(m.id.rawValue)])
        }
    }
}
