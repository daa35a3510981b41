import Foundation

/// Takes new mail out of one IMAP folder, forever, on a thread of its own: connect, select,
/// hand each new message to `deliver`, then mark it \Seen or move it; wait with IDLE where
/// offered (re-issued every `idleSeconds`), else poll every `pollIntervalSeconds`; on any
/// failure reconnect after a backoff that doubles up to `maxBackoffSeconds`.
///
/// No message is taken twice or skipped as long as `deliver` records the message and the
/// cursor (UIDVALIDITY, UID) durably before it returns, and the next watcher starts from that
/// cursor: UIDs only grow within one UIDVALIDITY. A crash between `deliver` and the \Seen flag
/// leaves the message unseen in the folder but behind the cursor, so it is not taken again.
public final class IMAPInboxWatcher: @unchecked Sendable {
    public struct Configuration: Sendable {
        public var endpoint: MailEndpoint
        public var username: String
        public var password: String
        public var folder: String = "INBOX"
        public var disposal: Disposal = .markSeen
        /// Without IDLE, how often to look for new mail.
        public var pollIntervalSeconds: Double = 60
        /// RFC 2177: servers may drop an IDLE after 30 minutes; we re-issue it before that.
        public var idleSeconds: Double = 25 * 60
        /// The longest wait between reconnection attempts (a mail server down for hours is not
        /// hammered, and one back in minutes is picked up quickly).
        public var maxBackoffSeconds: Double = 300

        public init(endpoint: MailEndpoint, username: String, password: String) {
            self.endpoint = endpoint
            self.username = username
            self.password = password
        }
    }

    /// What happens to a message once it is taken.
    public enum Disposal: Sendable, Equatable {
        case markSeen
        case moveTo(String)
    }

    /// Where taking left off.
    public struct Cursor: Sendable, Equatable {
        public var uidValidity: UInt32
        public var lastUID: UInt32
        public init(uidValidity: UInt32, lastUID: UInt32) {
            self.uidValidity = uidValidity
            self.lastUID = lastUID
        }
    }

    /// One message taken from the folder; `raw` is nil when it was larger than the limit (the
    /// message stays in the folder, the cursor moves past it, and the consumer records a note).
    public struct Incoming: Sendable {
        public let cursor: Cursor
        public let size: Int
        public let raw: [UInt8]?
    }

    /// What the watcher reports for the logs (never credentials).
    public enum Event: Sendable {
        case connected(tlsVersion: String?, idle: Bool)
        case taken(uid: UInt32, bytes: Int)
        case skippedTooLarge(uid: UInt32, bytes: Int)
        case uidValidityChanged(old: UInt32, new: UInt32)
        case failed(MailConnectionError, retryInSeconds: Double)
    }

    /// A label for logs (the mailbox's name).
    public let name: String
    private let configuration: Configuration
    private let deliver: @Sendable (Incoming) throws -> Void
    private let onEvent: @Sendable (Event) -> Void
    private let stopSignal = StopSignal()
    private let lock = NSLock()
    private var cursor: Cursor?
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// A watcher starting after `cursor` (nil: never ran; then the folder's unseen messages, or
    /// all of them when taken mail is moved away, are taken).
    public init(name: String = "", configuration: Configuration, cursor: Cursor?, deliver: @escaping @Sendable (Incoming) throws -> Void,
                onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.name = name
        self.configuration = configuration
        self.cursor = cursor
        self.deliver = deliver
        self.onEvent = onEvent
    }

    /// The cursor after the last message delivered.
    public var currentCursor: Cursor? { lock.withLock { cursor } }

    /// Starts the watching thread.
    public func start() {
        let thread = Thread { [self] in
            runForever()
            finished.signal()
        }
        thread.name = "imap-\(configuration.folder)"
        lock.withLock { self.thread = thread }
        thread.start()
    }

    /// Asks the thread to stop (it leaves IDLE within half a second) and waits up to
    /// `timeoutSeconds` for it; true when it stopped.
    @discardableResult
    public func stop(timeoutSeconds: Double = 10) -> Bool {
        stopSignal.stop()
        guard lock.withLock({ thread }) != nil else { return true }
        return finished.wait(timeout: .now() + timeoutSeconds) == .success
    }

    private func runForever() {
        var backoff = 1.0
        while !stopSignal.isStopped {
            do {
                try session()
                backoff = 1
            } catch {
                let failure = error as? MailConnectionError ?? MailConnectionError(.protocolViolation, "\(error)")
                onEvent(.failed(failure, retryInSeconds: backoff))
                if stopSignal.wait(seconds: backoff) { return }
                backoff = min(backoff * 2, configuration.maxBackoffSeconds)
            }
        }
    }

    /// One connection: take what is new, then wait and take again until stopped or failed.
    private func session() throws {
        let client = IMAPClient(endpoint: configuration.endpoint)
        defer { client.logout() }
        let tls = try client.connect()
        try client.login(username: configuration.username, password: configuration.password)
        onEvent(.connected(tlsVersion: tls, idle: client.supportsIdle))
        while !stopSignal.isStopped {
            _ = try takeNew(client)
            if client.supportsIdle {
                _ = try client.idle(seconds: configuration.idleSeconds) { stopSignal.isStopped }
            } else {
                if stopSignal.wait(seconds: configuration.pollIntervalSeconds) { return }
                try client.noop()
            }
        }
    }

    /// Connects once, takes every new message, and logs out; returns how many were delivered.
    /// For `helpdesk` commands and tests that want one round without a thread.
    public func runOnce() throws -> Int {
        let client = IMAPClient(endpoint: configuration.endpoint)
        defer { client.logout() }
        try client.connect()
        try client.login(username: configuration.username, password: configuration.password)
        return try takeNew(client)
    }

    /// Selects the folder and delivers every message after the cursor, oldest first.
    private func takeNew(_ client: IMAPClient) throws -> Int {
        let status = try client.select(configuration.folder)
        var known = lock.withLock { cursor }
        if let old = known, old.uidValidity != status.uidValidity {
            onEvent(.uidValidityChanged(old: old.uidValidity, new: status.uidValidity))
            known = nil
        }
        let candidates: [UInt32]
        if let known {
            candidates = try client.uids(after: known.lastUID)
        } else {
            candidates = configuration.disposal == .markSeen ? try client.unseenUIDs() : try client.uids(after: 0)
        }
        guard !candidates.isEmpty else {
            if known == nil { lock.withLock { cursor = Cursor(uidValidity: status.uidValidity, lastUID: 0) } }
            return 0
        }
        let sizes = try client.sizes(of: candidates)
        var delivered = 0
        for uid in candidates where !stopSignal.isStopped {
            guard let size = sizes[uid] else { continue }  // expunged meanwhile
            let next = Cursor(uidValidity: status.uidValidity, lastUID: uid)
            if size > client.maxMessageBytes {
                try deliver(Incoming(cursor: next, size: size, raw: nil))
                onEvent(.skippedTooLarge(uid: uid, bytes: size))
            } else {
                guard let raw = try client.fetch(uid: uid) else { continue }
                try deliver(Incoming(cursor: next, size: raw.count, raw: raw))
                onEvent(.taken(uid: uid, bytes: raw.count))
                switch configuration.disposal {
                case .markSeen: try client.markSeen(uid: uid)
                case .moveTo(let folder): try client.move(uid: uid, to: folder)
                }
                delivered += 1
            }
            lock.withLock { cursor = next }
        }
        return delivered
    }
}

/// A stop flag that a waiting thread can sleep on and be woken from.
final class StopSignal: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopped = false

    var isStopped: Bool { condition.withLock { stopped } }

    func stop() {
        condition.withLock {
            stopped = true
            condition.broadcast()
        }
    }

    /// Waits up to `seconds`; returns true when stopped.
    func wait(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while !stopped, condition.wait(until: deadline) {}
            return stopped
        }
    }
}
