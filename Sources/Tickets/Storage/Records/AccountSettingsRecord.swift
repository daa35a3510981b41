import Foundation

/// The single `account_settings` row (id 1, inserted by a migration) on the caller's connection.
enum AccountSettingsRecord {
    /// The account's name, logo type and last change. Throws `.notFound` without the row.
    static func load(_ db: Connection) throws -> AccountSettings {
        guard let row = try db.first("SELECT name, logo_content_type, updated_at FROM account_settings WHERE id = 1") else {
            throw DomainError.notFound("Account settings")
        }
        return AccountSettings(name: row.text(0), logoContentType: row.optionalText(1), updatedAt: row.date(2))
    }

    /// Renames the account.
    static func rename(to name: String, at: Date, _ db: Connection) throws {
        try db.run("UPDATE account_settings SET name = ?, updated_at = ? WHERE id = 1", [.text(name), .date(at)])
    }

    /// Replaces the logo.
    static func setLogo(_ bytes: [UInt8], contentType: String, at: Date, _ db: Connection) throws {
        try db.run("UPDATE account_settings SET logo = ?, logo_content_type = ?, updated_at = ? WHERE id = 1",
                   [.blob(bytes), .text(contentType), .date(at)])
    }

    /// The logo, or nil when none was uploaded.
    static func logo(_ db: Connection) throws -> AccountLogo? {
        guard let row = try db.first("SELECT logo, logo_content_type FROM account_settings WHERE id = 1 AND logo IS NOT NULL"),
              let type = row.optionalText(1) else { return nil }
        return AccountLogo(bytes: row.blob(0), contentType: type)
    }
}
