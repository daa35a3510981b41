import Foundation
import Presence
import Realtime
import Tickets

/// The shared `PresenceRegistry` behind a lock, turning its changes into `presence`,
/// `typing` and board `viewing` messages, and sharing it with the other nodes of the desk
/// over a `NodeBus`. Expiry runs from a timer every few seconds.
///
/// Across nodes: every change of this node's own sockets is published as a delta, and the
/// whole state every `heartbeatSeconds`; what other nodes publish joins the registry as their
/// connections (`PresenceRegistry+Nodes`), so clients here see people on other nodes exactly
/// like local ones. A node silent for `nodeSilenceSeconds` is gone with its viewers and
/// typists; a lost delta is repaired by the next full state, which replaces that node's
/// entries. A starting node says hello, and every node answers with its state.
///
/// The lock guards the registry only: messages are computed under it and handed, still in
/// order, to a serial queue that broadcasts and publishes them after the lock is released. A
/// broadcast can then never run a socket's close callback (which calls `disconnect`, taking
/// this lock) on a thread that holds the lock: the freeze of issue 10.
final class PresenceService: @unchecked Sendable {
    private let lock = NSLock()
    /// Broadcasts and bus messages leave in the order they were computed, off the event loops.
    private let outbox = DispatchQueue(label: "helpdesk.presence.outbox")
    private var registry = PresenceRegistry()
    private var nodes = PresenceNodes(limits: .init(silenceSeconds: PresenceService.nodeSilenceSeconds))
    /// The number of this node's latest full state.
    private var generation: UInt64 = 0
    private var counters = Counters()
    private let now: Clock
    private let bus: any NodeBus
    /// A desk of one node (`SoloNode`): nothing is encoded for other nodes, so a lone node pays
    /// nothing for them.
    private let alone: Bool
    private let broadcast: @Sendable (_ room: String, _ text: String) -> Void
    private var timers: [DispatchSourceTimer] = []

    /// How often silent connections, stale typing and silent nodes are swept.
    static let sweepIntervalSeconds = 2
    /// How often this node publishes its whole state: it says the node lives, repairs lost
    /// deltas and fills in nodes that reconnected; a few small messages a node, so often is cheap.
    static let heartbeatSeconds = 5
    /// A node not heard this long is gone, with its viewers and typists: three heartbeats, so
    /// a lost message or two never makes viewers flicker, yet a killed node's viewers leave
    /// within 15 to 17 s (the sweep interval).
    static let nodeSilenceSeconds: TimeInterval = 15
    /// Bus node ids are a UUID or a host and process id; a longer one is not one of ours.
    static let maxNodeIDBytes = 200

    private struct Counters {
        var unreadable = 0
        var droppedEntries = 0
        var discardedStates = 0
        var silentNodes = 0
        /// Messages from nodes past `PresenceNodes.Limits.maxNodes`.
        var excessNodeMessages = 0
    }

    /// `broadcast` sends a text message to a local room (called in order, from one queue).
    init(now: @escaping Clock, bus: any NodeBus, broadcast: @escaping @Sendable (_ room: String, _ text: String) -> Void) {
        self.now = now
        self.bus = bus
        alone = bus is SoloNode
        self.broadcast = broadcast
    }

    /// Broadcasts through the server's rooms.
    convenience init(now: @escaping Clock, rooms: @escaping @Sendable () -> Rooms, bus: any NodeBus) {
        self.init(now: now, bus: bus) { room, text in rooms().broadcast(.text(text), to: room) }
    }

    /// Joins the other nodes (`connect`), then starts the expiry sweep and the heartbeat.
    func start() {
        connect()
        timers = [Self.timer(every: Self.sweepIntervalSeconds) { [weak self] in self?.sweep() },
                  Self.timer(every: Self.heartbeatSeconds) { [weak self] in self?.heartbeat() }]
    }

    /// Listens to the other nodes, says hello (they answer with their state) and publishes
    /// this node's state. `start` calls it; tests call it alone and drive the timers by hand.
    func connect() {
        bus.subscribe(.presence) { [weak self] from, payload in self?.receive(payload, from: from) }
        lock.withLock {
            send([], publish: alone ? [] : [PresenceNodeMessage.helloPayload])
            publishState()
        }
    }

    private static func timer(every seconds: Int, _ work: @escaping @Sendable () -> Void) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .seconds(seconds), repeating: .seconds(seconds))
        timer.setEventHandler(handler: work)
        timer.resume()
        return timer
    }

    /// Drops viewers and typists silent past their timeouts, and the entries of nodes silent
    /// past `nodeSilenceSeconds`, at the clock's current time; broadcasts what changed and
    /// tells the other nodes what changed here (the timer's work; tests call it after moving the clock).
    func sweep() {
        let time = now()
        lock.withLock {
            let before = alone ? [] : registry.localEntries()
            var changes = registry.expire(now: time)
            let delta = alone ? [] : Self.difference(from: before, to: registry.localEntries())
            for node in nodes.expire(now: time) {
                counters.silentNodes += 1
                changes += registry.forget(node: node)
            }
            send(changes, publish: deltas(delta))
        }
    }

    /// Publishes this node's whole state to the other nodes (the heartbeat timer's work).
    func heartbeat() { lock.withLock { publishState() } }

    // MARK: This node's sockets

    /// `connection` views `room`; returns who is there and who is typing, for `subscribed`.
    func join(_ room: String, connection: UInt64, person: PresenceRegistry.Person, now: Date)
        -> (viewers: [ServerMessage.PersonJSON], typing: [ServerMessage.PersonJSON]) {
        lock.withLock {
            let changes = registry.join(room, connection: .local(connection), person: person, now: now)
            send(changes, publish: deltas(registry.localEntries(of: person, in: [room])))
            return (viewers(room), typists(room))
        }
    }

    func leave(_ room: String, connection: UInt64) {
        local(connection, rooms: { $0.contains(room) ? [room] : [] }) { $0.leave(room, connection: .local(connection)) }
    }

    func disconnect(_ connection: UInt64) {
        local(connection, rooms: { $0.sorted() }) { $0.disconnect(.local(connection)) }
    }

    func touch(_ connection: UInt64, now: Date) { lock.withLock { registry.touch(.local(connection), now: now) } }

    /// Every signal is published, not only the first: other nodes let typing expire without one.
    func typing(_ room: String, connection: UInt64, composing: PresenceRegistry.Composing, now: Date) {
        local(connection, rooms: { $0.contains(room) ? [room] : [] }) {
            $0.typing(room, connection: .local(connection), composing: composing, now: now)
        }
    }

    func stopTyping(_ room: String, connection: UInt64) {
        local(connection, rooms: { $0.contains(room) ? [room] : [] }) { $0.stopTyping(room, connection: .local(connection)) }
    }

    /// Applies a change of this node's socket `connection`, broadcasts it, and publishes the
    /// user's entries for the `rooms` (picked from the rooms the socket was in) it may touch.
    private func local(_ connection: UInt64, rooms: (Set<String>) -> [String],
                       _ change: (inout PresenceRegistry) -> [PresenceRegistry.Change]) {
        lock.withLock {
            let before = registry.membership(of: .local(connection))
            let changes = change(&registry)
            guard let before else { return send(changes, publish: []) }
            send(changes, publish: deltas(registry.localEntries(of: before.person, in: rooms(before.rooms))))
        }
    }

    // MARK: Other nodes

    /// Takes a message another node published on the presence channel (the bus's handler).
    /// A bad one is counted, logged and ignored.
    func receive(_ payload: String, from node: String) {
        let time = now()
        let message: PresenceNodeMessage
        do {
            guard !node.isEmpty, node.utf8.count <= Self.maxNodeIDBytes, node != bus.nodeID else { throw PresenceNodeMessage.Refusal.badSender }
            message = try PresenceNodeMessage.decode(payload)
        } catch {
            let count = lock.withLock { counters.unreadable += 1; return counters.unreadable }
            // The first, then one in a thousand: a node gone wrong must not flood the log.
            if count % 1_000 == 1 { Log.error("presence: an unreadable message from another node ignored (\(count) so far): \(error)") }
            return
        }
        lock.withLock {
            guard nodes.heard(node, now: time) else {
                counters.excessNodeMessages += 1
                return
            }
            let limit = nodes.limits.maxEntriesPerNode
            switch message {
            case .hello:
                publishState()
            case .delta(let entries):
                let result = registry.apply(entries, from: node, maxEntries: limit, now: time)
                counters.droppedEntries += result.skipped
                send(result.changes, publish: [])
            case .state(let generation, let part, let parts, let entries):
                switch nodes.receive(part: part, of: parts, generation: generation, entries: entries, from: node) {
                case .pending, .ignored:
                    break
                case .discarded:
                    counters.discardedStates += 1
                case .complete(let entries, let dropped):
                    let result = registry.replace(node: node, with: entries, maxEntries: limit, now: time)
                    counters.droppedEntries += dropped + result.skipped
                    send(result.changes, publish: [])
                }
            }
        }
    }

    // MARK: Queries

    /// The names of `room`'s viewers and of those typing there, sorted (for tests and logs).
    func viewerNames(_ room: String) -> [String] { lock.withLock { viewers(room).map(\.name).sorted() } }
    func typistNames(_ room: String) -> [String] { lock.withLock { typists(room).map(\.name).sorted() } }

    /// `viewing` messages for every ticket someone is viewing (sent to a new board subscriber).
    func boardSummaries() -> [String] {
        lock.withLock {
            registry.occupiedRooms.compactMap { room in
                LiveRooms.ticketID(of: room).map { ServerMessage.text(ServerMessage.Viewing(ticketId: $0, viewers: viewers(room))) }
            }
        }
    }

    /// Counters and gauges for `/metrics`.
    var metrics: [(String, Int)] {
        lock.withLock {
            let remote = registry.remoteNodes.reduce(0) { $0 + registry.entryCount(of: $1) }
            return [("helpdesk_presence_nodes", nodes.nodes.count),
                    ("helpdesk_presence_remote_entries", remote),
                    ("helpdesk_presence_unreadable_messages_total", counters.unreadable),
                    ("helpdesk_presence_dropped_entries_total", counters.droppedEntries),
                    ("helpdesk_presence_discarded_states_total", counters.discardedStates),
                    ("helpdesk_presence_silent_nodes_total", counters.silentNodes),
                    ("helpdesk_presence_excess_node_messages_total", counters.excessNodeMessages)]
        }
    }

    /// Waits until every broadcast and bus message computed so far has been handed on (tests).
    func waitForOutbox() { outbox.sync {} }

    // MARK: Under the lock

    /// Publishes this node's whole state as a new generation. Call with the lock held.
    private func publishState() {
        guard !alone else { return }
        generation += 1
        send([], publish: PresenceNodeMessage.statePayloads(registry.localEntries(), generation: generation))
    }

    /// `entries` as delta payloads for the other nodes; none when there are none (`alone`).
    private func deltas(_ entries: @autoclosure () -> [PresenceRegistry.NodeEntry]) -> [String] {
        alone ? [] : PresenceNodeMessage.deltaPayloads(entries())
    }

    /// Queues the broadcasts for the rooms `changes` touched, with their new state, and the
    /// bus payloads, in this order. Call with the lock held: the queue keeps the registry's order.
    private func send(_ changes: [PresenceRegistry.Change], publish payloads: [String]) {
        var presenceRooms: [String] = []
        var typingRooms: [String] = []
        for item in changes {
            switch item {
            case .joined(let room, _), .left(let room, _):
                if !presenceRooms.contains(room) { presenceRooms.append(room) }
            case .typing(let room, _, _), .stoppedTyping(let room, _):
                if !typingRooms.contains(room) { typingRooms.append(room) }
            }
        }
        var messages: [(room: String, text: String)] = []
        for room in presenceRooms {
            let people = viewers(room)
            messages.append((room, ServerMessage.text(ServerMessage.Presence(room: room, viewers: people))))
            if let ticketID = LiveRooms.ticketID(of: room) {
                messages.append((LiveRooms.board, ServerMessage.text(ServerMessage.Viewing(ticketId: ticketID, viewers: people))))
            }
        }
        for room in typingRooms {
            messages.append((room, ServerMessage.text(ServerMessage.Typing(room: room, typing: typists(room)))))
        }
        guard !messages.isEmpty || !payloads.isEmpty else { return }
        let broadcast = self.broadcast, bus = self.bus, outgoing = messages
        outbox.async {
            for message in outgoing { broadcast(message.room, message.text) }
            for payload in payloads { bus.publish(payload, on: .presence) }
        }
    }

    private func viewers(_ room: String) -> [ServerMessage.PersonJSON] {
        registry.viewers(of: room).map { ServerMessage.PersonJSON($0) }
    }

    private func typists(_ room: String) -> [ServerMessage.PersonJSON] {
        registry.typists(in: room).map { ServerMessage.PersonJSON($0.person, composing: $0.composing) }
    }

    /// The entries to publish so that a node holding `before` holds `after`.
    static func difference(from before: [PresenceRegistry.NodeEntry], to after: [PresenceRegistry.NodeEntry]) -> [PresenceRegistry.NodeEntry] {
        guard before != after else { return [] }
        struct Key: Hashable { let user: Int64, room: String }
        func key(_ entry: PresenceRegistry.NodeEntry) -> Key { Key(user: entry.person.userID, room: entry.room) }
        let then = Dictionary(before.map { (key($0), $0.activity) }, uniquingKeysWith: { first, _ in first })
        let now = Set(after.map(key))
        var delta = before.filter { !now.contains(key($0)) }.map { PresenceRegistry.NodeEntry(person: $0.person, room: $0.room, activity: .gone) }
        delta += after.filter { then[key($0)] != $0.activity }
        return delta
    }
}
