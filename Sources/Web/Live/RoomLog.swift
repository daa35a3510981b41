import Foundation
import Realtime
import Synchronization

/// A bounded replay buffer per room, so a client that reconnects can receive what it missed
/// (`since`) or learn that it must refetch (`resync`).
///
/// Sequence numbers are event-log positions (`LoggedEvent.id`): they follow commit order,
/// only grow within a room (gaps are normal) and mean the same after a restart, when the
/// newest events of the log are loaded back (`remember`) before clients connect.
///
/// Publishing and subscribing take one lock, so no event slips between a subscriber's join
/// and its replay. Only the live consumer publishes, from its task, never from an event
/// loop; the broadcast it makes under the lock only queues work for the loops, so no loop
/// callback ever runs while the lock is held.
final class RoomLog: Sendable {
    private struct History {
        /// The highest sequence number no longer kept for this room.
        var forgottenThrough: Int
        /// The last events, oldest first.
        var recent: [(seq: Int, text: String)] = []
        var latest: Int { recent.last?.seq ?? forgottenThrough }
    }

    private struct State {
        var rooms: [String: History] = [:]
        /// Events of rooms dropped to bound memory, and events older than the buffers' start,
        /// are forgotten up to here.
        var evictedThrough = 0
        /// The newest sequence number kept; a client claiming a newer one (from an earlier
        /// numbering, or invented) resyncs.
        var newest = 0

        mutating func keep(_ room: String, label: String?, event: String, by actor: String?, seq: Int, limits: RoomLog) -> String {
            var history = rooms[room] ?? History(forgottenThrough: evictedThrough)
            newest = max(newest, seq)
            let by = actor.map { #""by":\#($0),"# } ?? ""
            let text = #"{\#(by)"event":\#(event),"room":\#(jsonString(label ?? room)),"seq":\#(seq),"type":"event"}"#
            history.recent.append((seq, text))
            if history.recent.count > limits.eventsPerRoom {
                history.forgottenThrough = history.recent[0].seq
                history.recent.removeFirst()
            }
            rooms[room] = history
            if rooms.count > limits.maxRooms { evictQuietest(count: limits.maxRooms / 10) }
            return text
        }

        private mutating func evictQuietest(count: Int) {
            let quietest = rooms.sorted { $0.value.latest < $1.value.latest }.prefix(count)
            for (room, history) in quietest {
                evictedThrough = max(evictedThrough, history.latest)
                rooms[room] = nil
            }
        }
    }

    private let state = Mutex(State())
    /// Events kept per room for resuming (minutes of a busy ticket).
    let eventsPerRoom: Int
    /// Rooms with history kept; the least recently active are forgotten beyond this.
    let maxRooms: Int

    init(eventsPerRoom: Int = 500, maxRooms: Int = 20_000) {
        self.eventsPerRoom = eventsPerRoom
        self.maxRooms = maxRooms
    }

    /// Wraps `event` (a JSON object) in the `event` envelope with sequence number `seq`,
    /// keeps it for resuming and broadcasts it to `room` through `broadcaster`. The envelope
    /// names the room as clients know it (`label`, or `room` itself) and who caused the
    /// change (`by`, a JSON object, when known), so a tab can tell its own changes from others'.
    func publish(_ room: String, label: String? = nil, event: String, by actor: String? = nil, seq: Int, through broadcaster: Rooms) {
        state.withLock { state in
            let text = state.keep(room, label: label, event: event, by: actor, seq: seq, limits: self)
            broadcaster.broadcast(.text(text), to: room)
        }
    }

    /// Keeps an event for resuming without sending it (the buffers are refilled at start-up).
    func remember(_ room: String, label: String? = nil, event: String, by actor: String? = nil, seq: Int) {
        state.withLock { _ = $0.keep(room, label: label, event: event, by: actor, seq: seq, limits: self) }
    }

    /// Declares every event up to `seq` as not kept: a client resuming from before it resyncs.
    func forget(through seq: Int) {
        state.withLock { $0.evictedThrough = max($0.evictedThrough, seq) }
    }

    /// Runs `join` and answers what a subscriber resuming after `since` must receive, as one
    /// step under the lock (no event slips between the join and the replay): the room's latest
    /// sequence number and the missed events, or nil when they are no longer kept (resync).
    /// The newest sequence number kept in any room.
    var newest: Int { state.withLock { $0.newest } }

    func subscribe(_ room: String, since: Int?, join: () -> Void) -> (seq: Int, missed: [String]?) {
        state.withLock { state in
            join()
            let history = state.rooms[room] ?? History(forgottenThrough: state.evictedThrough)
            guard let since else { return (history.latest, []) }
            guard since >= history.forgottenThrough, since <= max(state.newest, state.evictedThrough) else { return (history.latest, nil) }
            return (history.latest, history.recent.filter { $0.seq > since }.map(\.text))
        }
    }
}

/// A JSON string literal for `text`.
func jsonString(_ text: String) -> String {
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
}
