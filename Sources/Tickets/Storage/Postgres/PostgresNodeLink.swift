import CPostgres
import Foundation
import Glibc
import Synchronization

/// The `NodeLink` of a node on PostgreSQL: one session of its own, served by one thread.
///
/// - **Wake-ups.** The session LISTENs on `helpdesk_events`, which a trigger on the `events`
///   table notifies at the commit of every transaction that appended events, from any node
///   or command (PostgreSQL migration 3). Each notification signals `Database.eventsCommitted`,
///   so this node's relay reads what another node committed within a round trip; the
///   relay's one-second poll stays as the fallback.
/// - **The bus.** `publish` queues a message, the thread sends it with `pg_notify` on the
///   channel, prefixed by this node's id (so a node skips its own), and hands the messages of
///   other nodes to the channel's subscribers, in order.
/// - **Leadership.** The session bids for `pg_try_advisory_lock(leaderLockKey)` every
///   `retrySeconds` until it gets it; a session-level advisory lock is held until the
///   session ends. The leader checks every `retrySeconds` that its session still answers, so
///   it notices a broken one within that time and stops its leader work; the server frees the
///   lock of a session that ended, and another node's next bid takes it.
///
/// The thread blocks in `poll` on the session's socket and a wake-up pipe, never on an
/// event loop or Swift's task pool. A lost session is replaced after `retrySeconds`:
/// LISTEN is issued again and the relay woken once (a commit may have gone unheard).
final class PostgresNodeLink: NodeLink, @unchecked Sendable {
    let nodeID: String
    private let url: PostgresURL
    private let eventsCommitted: Signal
    private let log: @Sendable (String) -> Void
    private let state = Mutex(State())
    /// Written to wake the thread (a message to send, or stop); read end polled by the thread.
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var outgoing: [(channel: NodeChannel, payload: String)] = []
        var handlers: [NodeChannel: [@Sendable (String, String) -> Void]] = [:]
        var leader = false
        var started = false
        var stopped = false
    }

    /// The channel the `events` trigger notifies (PostgreSQL migration 3).
    static let eventsChannel = "helpdesk_events"
    /// The advisory lock the leader's session holds ("hdleader" in ASCII), apart from the
    /// writer lock (`PostgresConnection.writerLockKey`), which transactions take and release.
    static let leaderLockKey: Int64 = 0x6864_6C65_6164_6572
    /// How often a follower bids for the leadership and the leader checks its session; a
    /// dead leader's work moves to another node within about twice this.
    static let retrySeconds = 1.0
    /// A link cut off from the database without a word (a network partition, a machine
    /// gone) must neither keep its leader's work running nor keep the lock for hours. The
    /// node gives up first: its liveness check (`SELECT 1` every `retrySeconds`) fails once
    /// its data goes unacknowledged for 5 s, and it stops its duties. The server frees the
    /// lock of a session whose peer stays silent through 10 s and three probes 3 s apart, or
    /// leaves its data unacknowledged for 19 s: by then the old leader has stopped, so two
    /// nodes do not lead at once.
    static let clientTimeouts: [(keyword: String, value: String)] = [
        ("keepalives", "1"), ("keepalives_idle", "5"), ("keepalives_interval", "2"), ("keepalives_count", "2"),
        ("tcp_user_timeout", "5000"),
    ]
    static let serverTimeouts = [
        "SET tcp_keepalives_idle = 10", "SET tcp_keepalives_interval = 3", "SET tcp_keepalives_count = 3", "SET tcp_user_timeout = 19000",
    ]

    /// Messages queued for sending at most; more are dropped (a link that cannot send for
    /// long drops presence updates, which the next full state repairs, rather than memory).
    static let maxQueuedMessages = 10_000

    init(url: PostgresURL, nodeID: String, eventsCommitted: Signal, log: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.nodeID = nodeID
        self.eventsCommitted = eventsCommitted
        self.log = log
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { fatalError("node link: no pipe (errno \(errno))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    var isLeader: Bool { state.withLock { $0.leader } }

    func publish(_ payload: String, on channel: NodeChannel) {
        guard payload.utf8.count <= NodeBusLimits.maxPayloadBytes else {
            log("node link: a \(channel.rawValue) message of \(payload.utf8.count) bytes dropped (limit \(NodeBusLimits.maxPayloadBytes))")
            return
        }
        let queued = state.withLock { state in
            guard !state.stopped, state.outgoing.count < Self.maxQueuedMessages else { return false }
            state.outgoing.append((channel, payload))
            return true
        }
        if queued { wake() }
    }

    func subscribe(_ channel: NodeChannel, _ handler: @escaping @Sendable (String, String) -> Void) {
        state.withLock { $0.handlers[channel, default: []].append(handler) }
    }

    func start(leadership: @escaping @Sendable (Bool) -> Void) {
        let firstBid = DispatchSemaphore(value: 0)
        state.withLock { $0.started = true }
        let thread = Thread { [self] in
            run(leadership: leadership, firstBid: firstBid)
            finished.signal()
        }
        thread.name = "node-link"
        thread.start()
        firstBid.wait()
    }

    func stop() {
        // Only the first call waits for the thread (it signals `finished` once).
        let running = state.withLock { state in
            defer { state.stopped = true }
            return state.started && !state.stopped
        }
        wake()
        if running { _ = finished.wait(timeout: .now() + 10) }
    }

    // MARK: The thread

    private var isStopped: Bool { state.withLock { $0.stopped } }

    private func run(leadership: @Sendable (Bool) -> Void, firstBid: DispatchSemaphore) {
        var connection: PostgresConnection?
        var session = 0
        var leader = false
        var firstBidPending = true
        var nextBid = ContinuousClock.now
        func setLeader(_ value: Bool) {
            guard value != leader else { return }
            leader = value
            state.withLock { $0.leader = value }
            leadership(value)
        }
        func bidDecided() {
            if firstBidPending {
                firstBidPending = false
                firstBid.signal()
            }
        }
        var broken = false
        while !isStopped {
            do {
                let link = try connection ?? PostgresConnection(url: url, parameters: Self.clientTimeouts)
                connection = link
                // A new session (the first, or one that replaced a lost one) listens to nothing
                // and holds no lock.
                if link.sessionNumber != session {
                    setLeader(false)
                    let channels = [Self.eventsChannel] + NodeChannel.allCases.map(\.rawValue)
                    try link.execute((channels.map { "LISTEN \($0)" } + Self.serverTimeouts).joined(separator: "; "))
                    session = link.sessionNumber
                    // Commits made while no session listened were not heard.
                    eventsCommitted.signal()
                    if broken {
                        log("node link: connected again (node \(nodeID))")
                        broken = false
                    }
                }
                try send(link)
                if ContinuousClock.now >= nextBid {
                    nextBid = ContinuousClock.now + .milliseconds(Int(Self.retrySeconds * 1_000))
                    if leader {
                        _ = try link.query("SELECT 1", [])  // the session still answers
                    } else {
                        let won = try link.query("SELECT CASE WHEN pg_try_advisory_lock(?) THEN 1 ELSE 0 END",
                                                 [.integer(Self.leaderLockKey)]).first?.bool(0) ?? false
                        // Won on a session opened by this very query: the top of the loop
                        // starts over with it (LISTEN, then a bid that finds the lock held).
                        if link.sessionNumber == session {
                            if won { log("node link: node \(nodeID) is the leader") }
                            setLeader(won)
                        }
                    }
                    bidDecided()
                    if link.sessionNumber != session { continue }
                }
                try waitAndReceive(link, until: nextBid)
            } catch {
                // The leadership goes with the session; a refused statement keeps both.
                if let failure = error as? PostgresError, failure.kind == .connectionLost || failure.kind == .connect {
                    setLeader(false)
                }
                bidDecided()
                if !broken {
                    // libpq's messages span lines: one line for the log.
                    let reason = "\(error)".split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    log("node link: \(reason.joined(separator: " ")); retrying every \(Self.retrySeconds) s")
                    broken = true
                }
                pause(seconds: Self.retrySeconds)
            }
        }
        bidDecided()
        state.withLock { $0.leader = false }
        // Closing the session frees the leadership lock at once.
        connection = nil
    }

    /// Sends the queued messages, each as `<node id> <payload>`.
    private func send(_ link: PostgresConnection) throws {
        let messages = state.withLock { state in
            defer { state.outgoing.removeAll() }
            return state.outgoing
        }
        for message in messages {
            try link.query("SELECT pg_notify(?, ?)", [.text(message.channel.rawValue), .text(nodeID + " " + message.payload)])
        }
    }

    /// Waits for input on the session or a wake-up until `deadline`, then hands every
    /// notification received to its handlers.
    private func waitAndReceive(_ link: PostgresConnection, until deadline: ContinuousClock.Instant) throws {
        try link.withSession { handle in
            let socket = PQsocket(handle)
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = max(0, Int32(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000))
            var fds = [pollfd(fd: socket, events: Int16(POLLIN), revents: 0), pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, milliseconds)
            if fds[1].revents != 0 { drainWakeUps() }
            guard PQconsumeInput(handle) == 1 else {
                throw PostgresError(kind: .connectionLost, message: url.mask(String(cString: PQerrorMessage(handle)).trimmingNewlines()))
            }
            var received: [(channel: String, payload: String)] = []
            while let notification = PQnotifies(handle) {
                received.append((String(cString: notification.pointee.relname), String(cString: notification.pointee.extra)))
                PQfreemem(notification)
            }
            deliver(received)
        }
    }

    private func deliver(_ received: [(channel: String, payload: String)]) {
        var eventsArrived = false
        for item in received {
            if item.channel == Self.eventsChannel {
                eventsArrived = true
                continue
            }
            guard let channel = NodeChannel(rawValue: item.channel), let space = item.payload.firstIndex(of: " ") else { continue }
            let sender = String(item.payload[..<space])
            guard sender != nodeID else { continue }
            let payload = String(item.payload[item.payload.index(after: space)...])
            for handler in state.withLock({ $0.handlers[channel] ?? [] }) { handler(sender, payload) }
        }
        if eventsArrived { eventsCommitted.signal() }
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)  // a full pipe already means "wake up"
    }

    private func drainWakeUps() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeRead, &buffer, buffer.count) > 0 {}
    }

    /// Sleeps `seconds`, or less when the link is stopped.
    private func pause(seconds: Double) {
        var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        _ = poll(&fds, 1, Int32(seconds * 1_000))
        drainWakeUps()
    }
}
