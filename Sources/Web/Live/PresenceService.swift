import Foundation
import Presence
import Realtime
import Tickets

/// The shared `PresenceRegistry` behind a lock, turning its changes into `presence`,
/// `typing` and board `viewing` messages. Expiry runs from a timer every few seconds.
///
/// The lock guards the registry only: messages are computed under it and handed, still in
/// order, to a serial queue that broadcasts them after the lock is released. A broadcast
/// can then never run a socket's close callback (which calls `disconnect`, taking this
/// lock) on a thread that holds the lock: the freeze of issue 10.
final class PresenceService: @unchecked Sendable {
    private let lock = NSLock()
    /// Broadcasts leave in the order they were computed, off the event loops.
    private let outbox = DispatchQueue(label: "helpdesk.presence.outbox")
    private var registry = PresenceRegistry()
    private let now: Clock
    private let rooms: @Sendable () -> Rooms
    private var timer: DispatchSourceTimer?

    /// How often silent connections and stale typing are swept.
    static let sweepIntervalSeconds = 2

    init(now: @escaping Clock, rooms: @escaping @Sendable () -> Rooms) {
        self.now = now
        self.rooms = rooms
    }

    /// Starts the expiry sweep.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .seconds(Self.sweepIntervalSeconds), repeating: .seconds(Self.sweepIntervalSeconds))
        timer.setEventHandler { [weak self] in self?.sweep() }
        timer.resume()
        self.timer = timer
    }

    /// Drops viewers and typists silent past their timeouts at the clock's current time and
    /// broadcasts what changed (the timer's work; tests call it after moving the clock).
    func sweep() {
        let time = now()
        apply { $0.expire(now: time) }
    }

    /// `connection` views `room`; returns who is there and who is typing, for `subscribed`.
    func join(_ room: String, connection: UInt64, person: PresenceRegistry.Person, now: Date)
        -> (viewers: [ServerMessage.PersonJSON], typing: [ServerMessage.PersonJSON]) {
        apply { $0.join(room, connection: connection, person: person, now: now) }
        return lock.withLock { (viewers(room), typists(room)) }
    }

    func leave(_ room: String, connection: UInt64) { apply { $0.leave(room, connection: connection) } }
    func disconnect(_ connection: UInt64) { apply { $0.disconnect(connection) } }
    func touch(_ connection: UInt64, now: Date) { lock.withLock { registry.touch(connection, now: now) } }

    func typing(_ room: String, connection: UInt64, composing: PresenceRegistry.Composing, now: Date) {
        apply { $0.typing(room, connection: connection, composing: composing, now: now) }
    }

    func stopTyping(_ room: String, connection: UInt64) { apply { $0.stopTyping(room, connection: connection) } }

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

    /// Applies a registry change and broadcasts the new state of every room it touched.
    private func apply(_ change: (inout PresenceRegistry) -> [PresenceRegistry.Change]) {
        lock.withLock {
            let changes = change(&registry)
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
            guard !messages.isEmpty else { return }
            // Enqueued under the lock so the order matches the registry's; sent after it.
            let rooms = self.rooms, outgoing = messages
            outbox.async {
                let broadcaster = rooms()
                for message in outgoing { broadcaster.broadcast(.text(message.text), to: message.room) }
            }
        }
    }

    private func viewers(_ room: String) -> [ServerMessage.PersonJSON] {
        registry.viewers(of: room).map { ServerMessage.PersonJSON($0) }
    }

    private func typists(_ room: String) -> [ServerMessage.PersonJSON] {
        registry.typists(in: room).map { ServerMessage.PersonJSON($0.person, composing: $0.composing) }
    }
}
