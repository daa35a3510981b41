import Foundation
import Testing
@testable import Tickets

@Suite("Mailboxes")
struct MailboxServiceTests {
    private func draft(name: String = "support") -> MailboxDraft {
        var d = MailboxDraft()
        d.name = name
        d.address = "support@desk.example.test"
        d.displayName = "ACME Support"
        d.imap.host = "imap.example.test"; d.imap.port = 993; d.imap.security = .tls
        d.imap.username = "support"; d.imap.password = "imap-s3cret"
        d.smtp.host = "smtp.example.test"; d.smtp.port = 587; d.smtp.security = .starttls
        d.smtp.username = "support"; d.smtp.password = "smtp-s3cret"
        return d
    }

    private func service(_ fixture: Fixture) throws -> MailboxService {
        MailboxService(database: fixture.database, key: try CredentialKey.loadOrCreate(directory: fixture.folder.path),
                       now: fixture.clock.clock)
    }

    @Test("a mailbox is created with defaults; its passwords are stored sealed, never in clear, and open again for connecting")
    func createAndSeal() async throws {
        let fixture = try Fixture()
        let mailboxes = try service(fixture)
        let created = try await mailboxes.create(draft(), by: .system)
        #expect(created.imapFolder == "INBOX" && created.moveTo == nil && created.enabled && created.verifyCertificates)
        #expect(created.uidValidity == nil && created.lastUID == 0)
        let stored = try await fixture.database.read { db in
            try db.first("SELECT imap_password, smtp_password FROM mailboxes").map { ($0.blob(0), $0.blob(1)) }
        }
        let (imap, smtp) = try #require(stored)
        #expect(!String(decoding: imap, as: UTF8.self).contains("imap-s3cret") && imap.count == 12 + 11 + 16)
        #expect(!String(decoding: smtp, as: UTF8.self).contains("smtp-s3cret"))
        let details = try await mailboxes.connectionDetails(created.id, for: .system)
        #expect(details.imapPassword == "imap-s3cret" && details.smtpPassword == "smtp-s3cret")
        let audit = try await fixture.database.read { db in try AuditLog.recent(limit: 5, before: nil, db) }
        #expect(audit.first?.action == .mailboxCreated)
        #expect(audit.first?.after?.contains("s3cret") == false)
    }

    @Test("the key file is created once with mode 0600, reused, and a wrong-sized file is refused")
    func keyFile() throws {
        let fixture = try Fixture()
        let first = try CredentialKey.loadOrCreate(directory: fixture.folder.path)
        let second = try CredentialKey.loadOrCreate(directory: fixture.folder.path)
        #expect(first.bytes == second.bytes)
        let path = fixture.folder.appendingPathComponent(CredentialKey.fileName).path
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        try Data("short".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: DomainError.self) { try CredentialKey.loadOrCreate(directory: fixture.folder.path) }
    }

    @Test("sealed secrets do not open under another key or another purpose, or when altered")
    func sealing() {
        let key = CredentialKey(bytes: Array(repeating: 7, count: 32))
        let other = CredentialKey(bytes: Array(repeating: 8, count: 32))
        var sealed = key.seal("pw", purpose: "mailbox.imap")
        #expect(key.open(sealed, purpose: "mailbox.imap") == "pw")
        #expect(key.open(sealed, purpose: "mailbox.smtp") == nil)
        #expect(other.open(sealed, purpose: "mailbox.imap") == nil)
        sealed[14] ^= 1
        #expect(key.open(sealed, purpose: "mailbox.imap") == nil)
        #expect(key.seal("pw", purpose: "p") != key.seal("pw", purpose: "p"))  // fresh nonce each time
    }

    @Test("validation names the wire field; a taken name (any case) is a conflict")
    func validation() async throws {
        let fixture = try Fixture()
        let mailboxes = try service(fixture)
        var bad = draft()
        bad.imap.port = 0
        #expect(await domainError(.validation) { _ = try await mailboxes.create(bad, by: .system) }?.field == "imap.port")
        bad = draft()
        bad.smtp.password = nil
        #expect(await domainError(.validation) { _ = try await mailboxes.create(bad, by: .system) }?.field == "smtp.password")
        bad = draft()
        bad.address = "not an address"
        #expect(await domainError(.validation) { _ = try await mailboxes.create(bad, by: .system) }?.field == "address")
        bad = draft(name: "has space")
        #expect(await domainError(.validation) { _ = try await mailboxes.create(bad, by: .system) }?.field == "name")
        _ = try await mailboxes.create(draft(), by: .system)
        #expect(await domainError(.conflict) { _ = try await mailboxes.create(draft(name: "SUPPORT"), by: .system) }?.field == "name")
    }

    @Test("updates change only what is given; a new password replaces the old; moving the IMAP account resets the cursor")
    func update() async throws {
        let fixture = try Fixture()
        let mailboxes = try service(fixture)
        let created = try await mailboxes.create(draft(), by: .system)
        try await fixture.database.write { db in
            try db.run("UPDATE mailboxes SET uid_validity = 9, last_uid = 40 WHERE id = ?", [.integer(created.id.rawValue)])
        }
        var change = MailboxDraft()
        change.smtp.password = "new-smtp"
        change.moveTo = .some("Taken")
        let updated = try await mailboxes.update(created.id, change, by: .system)
        #expect(updated.moveTo == "Taken" && updated.smtp == created.smtp && updated.uidValidity == 9 && updated.lastUID == 40)
        let details = try await mailboxes.connectionDetails(created.id, for: .system)
        #expect(details.smtpPassword == "new-smtp" && details.imapPassword == "imap-s3cret")
        change = MailboxDraft()
        change.imap.host = "imap2.example.test"
        let moved = try await mailboxes.update(created.id, change, by: .system)
        #expect(moved.uidValidity == nil && moved.lastUID == 0)
    }

    @Test("only account.manage may see or change mailboxes")
    func permissions() async throws {
        let fixture = try Fixture()
        let mailboxes = try service(fixture)
        let agent = try await fixture.agent("Bob", role: .agent)
        #expect(await domainError(.forbidden) { _ = try await mailboxes.list(for: agent) } != nil)
        #expect(await domainError(.forbidden) { _ = try await mailboxes.create(draft(), by: agent) } != nil)
        let admin = try await fixture.agent("Ada")
        let created = try await mailboxes.create(draft(), by: admin)
        #expect(await domainError(.forbidden) { _ = try await mailboxes.connectionDetails(created.id, for: agent) } != nil)
        try await mailboxes.delete(created.id, by: admin)
        #expect(try await mailboxes.list(for: admin).isEmpty)
    }
}
