import Foundation
import Tickets

/// `helpdesk backup PATH --data DIR`: a consistent copy of a live data folder.
enum BackupCommand {
    static func run(_ options: inout Options) throws -> Int32 {
        guard let target = options.takePositional() else { throw UsageError("use: helpdesk backup PATH --data DIR") }
        let data = try options.take("--data") ?? "./data"
        if try options.takeDatabase() != nil {
            throw UsageError("backup copies an SQLite data folder; back a PostgreSQL database up with pg_dump, and the data folder's attachments and key files with any file copy")
        }
        try options.finish()
        let files = FileManager.default
        let source = data + "/helpdesk.sqlite"
        guard files.fileExists(atPath: source) else { throw UsageError("no database at \(source)") }
        if files.fileExists(atPath: target), !((try? files.contentsOfDirectory(atPath: target))?.isEmpty ?? false) {
            throw UsageError("\(target) already exists and is not an empty folder")
        }
        try files.createDirectory(atPath: target, withIntermediateDirectories: true)
        // Opening runs pending migrations, which is what the server would do anyway; readers
        // and the writer wait on SQLite's busy timeout while a live server holds locks.
        let database = try Database(path: source, readerCount: 1)
        try Blocking.run { try await database.backup(to: target + "/helpdesk.sqlite") }
        // Attachments are copied after the database snapshot: files are written before the
        // rows that reference them commit, so every file the snapshot names already exists.
        let attachments = data + "/attachments"
        var copied = 0
        if files.fileExists(atPath: attachments) {
            copied = try copyTree(from: attachments, to: target + "/attachments")
        }
        // The key files, kept at 0600. Without the mailbox credential key the copy's mailbox
        // passwords and webhook secrets cannot be opened and the signed ticket tokens in
        // customers' subjects stop matching; without the access link key the ticket page can
        // no longer show the requesters' portal and survey links.
        var keys: [String] = []
        for name in [CredentialKey.fileName, AccessLinkKey.fileName] where files.fileExists(atPath: data + "/" + name) {
            try files.copyItem(atPath: data + "/" + name, toPath: target + "/" + name)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target + "/" + name)
            keys.append(name)
        }
        let keyNote = keys.isEmpty ? "" : " and " + keys.joined(separator: ", ")
        print("backup written to \(target): helpdesk.sqlite, \(copied) attachment file(s)\(keyNote)")
        return 0
    }

    /// Copies every regular file under `source` into `destination`, keeping the layout;
    /// files that vanish while copying (deleted meanwhile) are skipped. Returns the count.
    static func copyTree(from source: String, to destination: String) throws -> Int {
        let files = FileManager.default
        try files.createDirectory(atPath: destination, withIntermediateDirectories: true)
        var count = 0
        for relative in files.subpaths(atPath: source) ?? [] {
            let from = source + "/" + relative, to = destination + "/" + relative
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: from, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try files.createDirectory(atPath: to, withIntermediateDirectories: true)
            } else {
                do {
                    try files.copyItem(atPath: from, toPath: to)
                    count += 1
                } catch {
                    // A file deleted while we copy is fine to miss; any other failure is not.
                    if files.fileExists(atPath: from) { throw error }
                }
            }
        }
        return count
    }
}
