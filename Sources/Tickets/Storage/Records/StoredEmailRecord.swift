import Foundation

/// `inbound_emails` rows on the caller's connection.
enum StoredEmailRecord {
    /// Headers kept per email at most, and the longest value kept: enough for any rule on
    /// List-Id, X-Mailer or a vendor's X-Priority, bounded against a header flood.
    static let maxHeaders = 100
    static let maxHeaderValue = 998

    private struct Person: Codable {
        let name: String, address: String
    }

    private struct File: Codable {
        let fileName: String, contentType: String, size: Int64, sha256: String, storageKey: String
    }

    static func insert(_ email: StoredEmail, messageKey: String, _ db: Connection) throws -> Int64 {
        let encoder = JSONEncoder()
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        let headers = email.headers.prefix(maxHeaders).map { EmailHeader(name: String($0.name.prefix(76)), value: String($0.value.prefix(maxHeaderValue))) }
        let cc = email.cc.prefix(maxHeaders).map { Person(name: $0.name, address: $0.address) }
        let files = email.files.map { File(fileName: $0.fileName, contentType: $0.contentType, size: $0.size, sha256: $0.sha256, storageKey: $0.storageKey) }
        let id = try db.insert("""
            INSERT INTO inbound_emails (message_key, mailbox_id, from_address, from_name, subject, body, recipients_json, headers_json,
                                        notes_json, files_json, auto_reply_suppression, ticket_id, received_at, cc_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(messageKey), .optional(email.mailboxID), .text(email.fromAddress), .optional(email.fromName),
                  .text(email.subject), .text(email.text), .text(try json(Array(email.recipients.prefix(maxHeaders)))),
                  .text(try json(Array(headers))), .text(try json(email.notes)), .text(try json(files)),
                  .optional(email.autoReplySuppression), .optional(email.ticketID?.rawValue), .date(email.receivedAt),
                  .text(try json(Array(cc)))])
        for file in email.files {
            try db.run("INSERT INTO inbound_email_files (email_id, storage_key) VALUES (?, ?)", [.integer(id), .text(file.storageKey)])
        }
        return id
    }

    static func find(_ id: Int64, _ db: Connection) throws -> StoredEmail? {
        guard let row = try db.first("""
            SELECT id, mailbox_id, from_address, from_name, subject, body, recipients_json, headers_json, notes_json, files_json,
                   auto_reply_suppression, ticket_id, received_at, cc_json
            FROM inbound_emails WHERE id = ?
            """, [.integer(id)]) else { return nil }
        let decoder = JSONDecoder()
        func read<T: Decodable>(_: T.Type, _ column: Int) -> T? { try? decoder.decode(T.self, from: Data(row.text(column).utf8)) }
        return StoredEmail(
            id: row.int64(0), mailboxID: row.optionalInt64(1), fromAddress: row.text(2), fromName: row.optionalText(3),
            subject: row.text(4), text: row.text(5), recipients: read([String].self, 6) ?? [],
            cc: (read([Person].self, 13) ?? []).map { InboundEmail.Person(name: $0.name, address: $0.address) },
            headers: read([EmailHeader].self, 7) ?? [], notes: read([String].self, 8) ?? [],
            files: (read([File].self, 9) ?? []).map {
                StagedAttachment(fileName: $0.fileName, contentType: $0.contentType, size: $0.size, sha256: $0.sha256, storageKey: $0.storageKey)
            },
            autoReplySuppression: row.optionalText(10), ticketID: row.optionalInt64(11).map(TicketID.init), receivedAt: row.date(12))
    }

    /// Records that email `id` was made into `ticket`.
    static func setTicket(_ ticket: TicketID, of id: Int64, _ db: Connection) throws {
        try db.run("UPDATE inbound_emails SET ticket_id = ? WHERE id = ?", [.integer(ticket.rawValue), .integer(id)])
    }

    /// The email a ticket was made of, when it was made of one.
    static func forTicket(_ ticket: TicketID, _ db: Connection) throws -> StoredEmail? {
        guard let row = try db.first("SELECT id FROM inbound_emails WHERE ticket_id = ? ORDER BY id LIMIT 1", [.integer(ticket.rawValue)]) else {
            return nil
        }
        return try find(row.int64(0), db)
    }
}
