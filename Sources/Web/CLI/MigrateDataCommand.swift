import Foundation
import Tickets

/// `helpdesk migrate-data --data DIR --database postgres://...`: copies the SQLite database
/// of a (stopped) desk into an empty PostgreSQL database and verifies the copy by counts and
/// checksums (see `DataMigration`). Exit status 0 verified, 1 a failure or a difference
/// (naming the table), 2 a usage mistake.
enum MigrateDataCommand {
    /// The key files `serve` keeps in the data folder (not in the database, on purpose).
    static let keyFiles = [
        (CredentialKey.fileName, "opens the mailbox passwords and the ticket tokens in email subjects"),
        (AccessLinkKey.fileName, "signs the requesters' portal and survey links"),
    ]

    static func run(_ options: inout Options) throws -> Int32 {
        let data = try options.take("--data") ?? "./data"
        let verifyOnly = options.takeFlag("--verify-only")
        guard case .postgres(let url)? = try options.takeDatabase() else {
            throw UsageError("migrate-data needs --database postgres://USER@HOST:PORT/DATABASE (or HELPDESK_DATABASE): the database to copy into")
        }
        try options.finish()
        let sourcePath = data + "/helpdesk.sqlite"
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw UsageError("no SQLite database at \(sourcePath) (--data names the desk's data folder)")
        }
        if verifyOnly { return try verify(DataMigration(sourcePath: sourcePath, target: url)) }
        print("copying \(sourcePath) into \(url.masked)")
        print("(stop the desk first: the copy is one consistent snapshot, and anything written after it is not copied)")
        let migration = DataMigration(sourcePath: sourcePath, target: url)
        let attachments = URL(fileURLWithPath: data).appendingPathComponent("attachments")
        let report = try migration.run(attachmentsDirectory: attachments) { print($0) }
        printReport(report, data: data)
        return verdict(report.tables)
    }

    /// `--verify-only`: compares the two databases as they are now, copying nothing.
    private static func verify(_ migration: DataMigration) throws -> Int32 {
        print("comparing \(migration.sourcePath) with \(migration.target.masked) (nothing is copied)")
        let tables = try migration.verify()
        printTable(tables)
        return verdict(tables)
    }

    /// 0 when every table matches; else names the tables that differ on standard error and
    /// returns 1.
    private static func verdict(_ tables: [DataMigration.TableResult]) -> Int32 {
        let mismatches = tables.filter { !$0.matches }
        guard let first = mismatches.first else {
            print("counts and checksums match on all \(tables.count) tables")
            return 0
        }
        let names = mismatches.map(\.table).joined(separator: ", ")
        CommandLineInterface.printError("helpdesk: verification failed on \(names): counts or checksums differ between SQLite and PostgreSQL (\(first.table): \(first.source.rows) rows in SQLite, \(first.target.rows) in PostgreSQL)")
        return 1
    }

    private static func printTable(_ tables: [DataMigration.TableResult]) {
        print(pad("table", 26) + leftPad("SQLite rows", 12) + leftPad("PostgreSQL", 12) + "  checksum (SHA-256)")
        for table in tables {
            let verdict = table.matches ? "match " + table.source.checksum.prefix(16) : "DIFFERENT"
            print(pad(table.table, 26) + leftPad(String(table.source.rows), 12) + leftPad(String(table.target.rows), 12) + "  " + verdict)
        }
    }

    private static func printReport(_ report: DataMigration.Report, data: String) {
        print(String(format: "copied %d rows of %d tables in %.1f s; verified in %.1f s",
                     report.rows, report.tables.count, report.copySeconds, report.verifySeconds))
        printTable(report.tables)
        print("identities continue after the copied ids on \(report.identities.count) tables")
        // One line per reason: the FTS5 index alone is fifteen tables.
        var reasons: [String] = []
        var names: [String: [String]] = [:]
        for skipped in report.skipped {
            if names[skipped.reason] == nil { reasons.append(skipped.reason) }
            names[skipped.reason, default: []].append(skipped.name)
        }
        for reason in reasons {
            print("not copied: \(names[reason]!.joined(separator: ", ")): \(reason)")
        }
        let files = report.files
        if files.missingCount == 0 {
            print("attachment store: all \(files.referenced) files the database names are in \(data)/attachments")
        } else {
            CommandLineInterface.printError("warning: \(files.missingCount) of \(files.referenced) files the database names are missing from \(data)/attachments (they were missing before the copy):")
            for line in files.missing { CommandLineInterface.printError("  missing: \(line)") }
            if files.missingCount > files.missing.count {
                CommandLineInterface.printError("  ... and \(files.missingCount - files.missing.count) more")
            }
        }
        var keep = ["attachments/"]
        for (name, purpose) in keyFiles {
            if FileManager.default.fileExists(atPath: data + "/" + name) {
                keep.append(name)
            } else {
                print("note: \(data)/\(name) does not exist (it \(purpose); serve creates it when needed)")
            }
        }
        print("""
            keep \(data) (\(keep.joined(separator: ", "))): attachments and keys are not in the database. \
            Every node runs `helpdesk serve --database <URL> --data <this folder, shared>`.
            """)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private static func leftPad(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: max(1, width - text.count)) + text
    }
}
