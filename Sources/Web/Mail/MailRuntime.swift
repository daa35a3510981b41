import Foundation
import Mail
import Realtime
import Tickets

/// Email while `serve` runs. Out: the `MailSender` thread sends the outbox that
/// `EmailOutboxConsumer` fills from the event log. In: one `IMAPInboxWatcher` thread per enabled
/// mailbox (IDLE where the server offers it, polling otherwise), each starting from the
/// mailbox's stored cursor and storing the new one in the same transaction as each email it
/// takes. Mailboxes are read at start: a changed or added mailbox is picked up on restart.
/// Log lines name the mailbox and the failure, never a credential.
final class MailRuntime: @unchecked Sendable {
    private let services: Services
    private let lock = NSLock()
    private var watchers: [IMAPInboxWatcher] = []
    private let sender: MailSender

    init(services: Services) {
        self.services = services
        sender = MailSender(services: services)
    }

    /// Starts a watcher per enabled mailbox; returns how many.
    func start() async throws -> Int {
        let (ready, unreadable) = try await services.mailboxes.enabledConnectionDetails()
        for name in unreadable {
            Log.info("mail: mailbox \(name) is not started: its passwords cannot be opened with this data folder's key")
        }
        let started = ready.map(watcher)
        lock.withLock { watchers = started }
        for w in started { w.start() }
        sender.start()
        return started.count
    }

    /// Stops every watcher (each leaves IDLE within half a second) and the sender.
    func stop() {
        let all = lock.withLock { watchers }
        for w in all { w.stop() }
        sender.shutdown()
    }

    private func watcher(_ details: MailboxConnectionDetails) -> IMAPInboxWatcher {
        let mailbox = details.mailbox
        var configuration = IMAPInboxWatcher.Configuration(
            endpoint: MailboxConnectionTest.endpoint(mailbox.imap, verify: mailbox.verifyCertificates),
            username: mailbox.imap.username, password: details.imapPassword)
        configuration.folder = mailbox.imapFolder
        if let target = mailbox.moveTo { configuration.disposal = .moveTo(target) }
        let cursor = mailbox.uidValidity.map {
            IMAPInboxWatcher.Cursor(uidValidity: UInt32(truncatingIfNeeded: $0), lastUID: UInt32(truncatingIfNeeded: mailbox.lastUID))
        }
        let ingestor = MailIngestor(services: services)
        let services = self.services
        let name = mailbox.name
        return IMAPInboxWatcher(configuration: configuration, cursor: cursor, deliver: { incoming in
            let position = InboundEmail.Cursor(uidValidity: Int64(incoming.cursor.uidValidity), uid: Int64(incoming.cursor.lastUID))
            guard let raw = incoming.raw else {
                Log.info("mail: \(name): message \(incoming.cursor.lastUID) (\(incoming.size) bytes) is over the size limit; left in the folder")
                try Blocking.run { try await services.mailboxes.skipPast(mailbox.id, uidValidity: position.uidValidity, uid: position.uid) }
                return
            }
            do {
                _ = try Blocking.run { try await ingestor.ingest(raw, mailbox: mailbox, cursor: position) }
            } catch let error as MailIngestor.Unreadable {
                Log.info("mail: \(name): message \(incoming.cursor.lastUID) cannot be read (\(error)); skipped")
                try Blocking.run { try await services.mailboxes.skipPast(mailbox.id, uidValidity: position.uidValidity, uid: position.uid) }
            }
        }, onEvent: { event in
            switch event {
            case .connected(let tls, let idle):
                Log.info("mail: \(name): connected (\(tls ?? "no TLS"), \(idle ? "IDLE" : "polling"))")
            case .taken, .skippedTooLarge:
                break
            case .uidValidityChanged(let old, let new):
                Log.info("mail: \(name): UIDVALIDITY changed \(old) -> \(new); taking the unseen messages")
            case .failed(let error, let retry):
                Log.info("mail: \(name): \(error) (retrying in \(Int(retry)) s)")
            }
        })
    }
}
