import Foundation

/// Finds and creates contacts on the caller's connection (inside its transaction).
enum ContactStore {
    static let columns = "id, name, email, created_at"
    /// Longest requester name: a full name with room to spare (it is shown on every list row).
    static let maxNameLength = 200

    /// The contact with `email` (any case), created with `name` when new. Existing contacts
    /// keep their name. Throws `.validation` for a malformed email or a name longer than
    /// `maxNameLength` (checked first, even when the contact exists).
    static func findOrCreate(name: String, email rawEmail: String, at: Date, _ db: Connection) throws -> (Contact, created: Bool) {
        try TextLimit.check(name, field: "requesterName", max: maxNameLength)
        let email = try EmailAddress.normalise(rawEmail, field: "requesterEmail")
        if let existing = try db.first("SELECT \(columns) FROM contacts WHERE email = ?", [.text(email)]) {
            return (contact(existing), false)
        }
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        let display = trimmed.isEmpty ? String(email.split(separator: "@")[0]) : trimmed
        let insertedID = try db.insert("INSERT INTO contacts (name, email, created_at) VALUES (?, ?, ?)", [.text(display), .text(email), .date(at)])
        return (Contact(id: ContactID(insertedID), name: display, email: email, createdAt: at), true)
    }

    /// Contact `id`, or nil.
    static func find(_ id: ContactID, _ db: Connection) throws -> Contact? {
        try db.first("SELECT \(columns) FROM contacts WHERE id = ?", [.integer(id.rawValue)]).map(contact)
    }

    /// Contacts whose name or email starts with `prefix`, by name, at most `limit`. Both
    /// sides of each `LIKE` are lower-case (emails are stored lower-cased, names compared
    /// through `lower`), so it matches the same rows whether or not `LIKE` folds case.
    static func search(_ prefix: String, limit: Int, _ db: Connection) throws -> [Contact] {
        let pattern = prefix.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try db.query("""
            SELECT \(columns) FROM contacts WHERE email LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\'
            ORDER BY lower(name), id LIMIT ?
            """, [.text(pattern), .text(pattern), .int(limit)]).map(contact)
    }

    private static func contact(_ row: Row) -> Contact {
        Contact(id: ContactID(row.int64(0)), name: row.text(1), email: row.text(2), createdAt: row.date(3))
    }
}
