import Foundation
import Presence
import Realtime
import Tickets

/// The shared `PresenceRegistry` behind a lock, turning its changes into `presence`,
/// `typing` and board `viewing` messages. Expiry runs from a timer every few seconds.
final class PresenceService: @unchecked Sendable {
    private let lock = NSLock()
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
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let time = now()
            apply { $0.expire(now: time) }
        }
        timer.resume()
        self.timer = timer
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
            let broadcaster = rooms()
            for room in presenceRooms {
                let people = viewers(room)
                broadcaster.broadcast(.text(ServerMessage.text(ServerMessage.Presence(room: room, viewers: people))), to: room)
                if let ticketID = LiveRooms.ticketID(of: room) {
                    broadcaster.broadcast(.text(ServerMessage.text(ServerMessage.Viewing(ticketId: ticketID, viewers: people))), to: LiveRooms.board)
                }
            }
            for room in typingRooms {
                broadcaster.broadcast(.text(ServerMessage.text(ServerMessage.Typing(room: room, typing: typists(room)))), to: room)
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
