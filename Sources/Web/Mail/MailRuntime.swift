import Foundation
import Mail
import Realtime
import Tickets

/// Email while `serve` runs. Out: the `MailSender` thread sends the outbox that
/// `EmailOutboxConsumer` fills from the event log. In: one `IMAPInboxWatcher` thread per enabled
/// mailbox (IDLE where the server offers it, polling otherwise), each starting from the
/// mailbox's stored cursor and storing the new one in the same transaction as each email it
/// takes. Settings changes take effect within `reloadSeconds`, without a restart.
/// Log lines name the mailbox and the failure, never a credential.
final class MailRuntime: @unchecked Sendable {
    /// How often the mailbox settings are compared with the running watchers: an added,
    /// changed, disabled or deleted mailbox takes effect within this long, without a restart.
    static let reloadSeconds = 2.0

    private let services: Services
    private let lock = NSLock()
    /// Running watchers by mailbox, with the settings version they run with.
    private var running: [MailboxID: (version: Date, watcher: IMAPInboxWatcher)] = [:]
    private let sender: MailSender
    private let stopSignal = NSCondition()
    private var stopped = false
    private let finished = DispatchSemaphore(value: 0)

    /// `publicURL` (e.g. `https://help.example.com`) starts the portal and survey links in emails.
    init(services: Services, publicURL: String) {
        self.services = services
        sender = MailSender(services: services, publicURL: publicURL)
    }

    /// Starts a watcher per enabled mailbox, the sender, and the settings reloader; returns
    /// how many mailboxes are watched.
    func start() async throws -> Int {
        try await sync()
        sender.start()
        let thread = Thread { [self] in
            while !isStopped {
                let deadline = Date().addingTimeInterval(Self.reloadSeconds)
                stopSignal.withLock { while !stopped, stopSignal.wait(until: deadline) {} }
                if isStopped { break }
                do { try Blocking.run { try await self.sync() } } catch { Log.error("mail: cannot read the mailboxes: \(error)") }
            }
            finished.signal()
        }
        thread.name = "mail-settings"
        thread.start()
        return lock.withLock { running.count }
    }

    /// Stops the reloader, every watcher (each leaves IDLE within half a second) and the sender.
    func stop() {
        stopSignal.withLock {
            stopped = true
            stopSignal.broadcast()
        }
        _ = finished.wait(timeout: .now() + 10)
        let all = lock.withLock { running.values.map(\.watcher) }
        for w in all { w.stop() }
        sender.shutdown()
    }

    private var isStopped: Bool { stopSignal.withLock { stopped } }

    /// Starts watchers for new or changed enabled mailboxes and stops those of changed,
    /// disabled or deleted ones.
    private func sync() async throws {
        let wanted = try await services.mailboxes.list(for: .system).filter(\.enabled)
        let current = lock.withLock { running.mapValues(\.version) }
        let wantedVersions = Dictionary(uniqueKeysWithValues: wanted.map { ($0.id, $0.updatedAt) })
        for (id, version) in current where wantedVersions[id] != version {
            let watcher = lock.withLock { running.removeValue(forKey: id)?.watcher }
            watcher?.stop()
            Log.info("mail: \(watcher?.name ?? "mailbox \(id)"): stopped (settings changed)")
        }
        for mailbox in wanted where current[mailbox.id] != mailbox.updatedAt {
            let details: MailboxConnectionDetails
            do {
                details = try await services.mailboxes.connectionDetails(mailbox.id, for: .system)
            } catch {
                Log.info("mail: mailbox \(mailbox.name) is not started: its passwords cannot be opened with this data folder's key")
                continue
            }
            let w = watcher(details)
            lock.withLock { running[mailbox.id] = (mailbox.updatedAt, w) }
            w.start()
        }
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
        return IMAPInboxWatcher(name: name, configuration: configuration, cursor: cursor, deliver: { incoming in
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
