import Foundation

extension DataMigration {
    /// The files the database names in the data folder's attachment store (attachments, the
    /// originals of ingested emails, the files of emails kept for workflows). They are not
    /// copied: the data folder stays the attachment store, shared by every PostgreSQL node.
    public struct FileCheck: Sendable {
        /// Rows naming a file.
        public let referenced: Int
        /// Rows whose file is missing, up to `maxListedMissing` of them described.
        public let missingCount: Int
        public let missing: [String]
    }

    /// Missing files described one by one in the report; the rest are only counted.
    static let maxListedMissing = 20

    /// Checks, inside the source's snapshot, that every stored-file reference has its file
    /// under `attachmentsDirectory` (`AttachmentStore`'s layout).
    static func checkFiles(_ source: SQLiteConnection, attachmentsDirectory: URL) throws -> FileCheck {
        let references = [
            ("attachments", "SELECT id, storage_key, file_name FROM attachments ORDER BY id"),
            ("mail_messages", "SELECT id, raw_storage_key, '' FROM mail_messages WHERE raw_storage_key IS NOT NULL ORDER BY id"),
            ("inbound_email_files", "SELECT email_id, storage_key, '' FROM inbound_email_files ORDER BY email_id"),
        ]
        var referenced = 0, missingCount = 0
        var missing: [String] = []
        for (table, sql) in references {
            try source.forEachRow(sql) { row in
                referenced += 1
                let key = row.text(1)
                guard !FileManager.default.fileExists(atPath: AttachmentStore.fileURL(for: key, in: attachmentsDirectory).path) else { return }
                missingCount += 1
                if missing.count < maxListedMissing {
                    let label = row.text(2).isEmpty ? "" : " (\(row.text(2)))"
                    missing.append("\(table) \(row.int64(0))\(label): \(key)")
                }
            }
        }
        return FileCheck(referenced: referenced, missingCount: missingCount, missing: missing)
    }
}
