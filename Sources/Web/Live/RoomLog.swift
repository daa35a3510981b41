import Foundation
import Realtime

/// Sequence numbers and a bounded replay buffer per room, so a client that reconnects can
/// receive what it missed (`since`) or learn that it must refetch (`resync`).
///
/// Sequence numbers come from one counter for the whole server, so they only grow within a
/// room (gaps are normal). The counter starts at the start-up time in milliseconds times
/// 1000, so numbers from an earlier run are always older than anything this run kept:
/// a client resuming across a restart is told to resync. Publishing assigns the number and
/// broadcasts under one lock, so every subscriber sees a room's events in order.
final class RoomLog: @unchecked Sendable {
    private struct History {
        /// The highest sequence number no longer kept for this room.
        var forgottenThrough: Int
        /// The last events, oldest first.
        var recent: [(seq: Int, text: String)] = []
        var latest: Int { recent.last?.seq ?? forgottenThrough }
    }

    private let lock = NSLock()
    private var rooms: [String: History] = [:]
    private var lastSeq: Int
    /// Events of rooms dropped to bound memory are forgotten up to here.
    private var evictedThrough: Int
    /// Events kept per room for resuming (minutes of a busy ticket).
    let eventsPerRoom: Int
    /// Rooms with history kept; the least recently active are forgotten beyond this.
    let maxRooms: Int

    init(startedAt: Date, eventsPerRoom: Int = 500, maxRooms: Int = 20_000) {
        lastSeq = Int(startedAt.timeIntervalSince1970 * 1000) * 1000
        evictedThrough = lastSeq
        self.eventsPerRoom = eventsPerRoom
        self.maxRooms = maxRooms
    }

    /// Assigns the next sequence number, wraps `event` (a JSON object) in the `event`
    /// envelope and broadcasts it to `room` through `broadcaster`. The envelope names the
    /// room as clients know it (`label`, or `room` itself) and who caused the change (`by`,
    /// a JSON object, when known), so a tab can tell its own changes from others'.
    func publish(_ room: String, label: String? = nil, event: String, by actor: String? = nil, through broadcaster: Rooms) {
        lock.withLock {
            lastSeq += 1
            var history = rooms[room] ?? History(forgottenThrough: evictedThrough)
            let by = actor.map { #""by":\#($0),"# } ?? ""
            let text = #"{\#(by)"event":\#(event),"room":\#(jsonString(label ?? room)),"seq":\#(lastSeq),"type":"event"}"#
            history.recent.append((lastSeq, text))
            if history.recent.count > eventsPerRoom {
                history.forgottenThrough = history.recent[0].seq
                history.recent.removeFirst()
            }
            rooms[room] = history
            if rooms.count > maxRooms { evictQuietest() }
            broadcaster.broadcast(.text(text), to: room)
        }
    }

    /// Runs `join` and answers what a subscriber resuming after `since` must receive, as one
    /// step under the lock (no event slips between the join and the replay): the room's latest
    /// sequence number and the missed events, or nil when they are no longer kept (resync).
    func subscribe(_ room: String, since: Int?, join: () -> Void) -> (seq: Int, missed: [String]?) {
        lock.withLock {
            join()
            let history = rooms[room] ?? History(forgottenThrough: evictedThrough)
            guard let since else { return (history.latest, []) }
            guard since >= history.forgottenThrough else { return (history.latest, nil) }
            return (history.latest, history.recent.filter { $0.seq > since }.map(\.text))
        }
    }

    private func evictQuietest() {
        let quietest = rooms.sorted { $0.value.latest < $1.value.latest }.prefix(maxRooms / 10)
        for (room, history) in quietest {
            evictedThrough = max(evictedThrough, history.latest)
            rooms[room] = nil
        }
    }
}

/// A JSON string literal for `text`.
func jsonString(_ text: String) -> String {
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
}
