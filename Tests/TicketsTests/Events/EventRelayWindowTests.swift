import Foundation
import Testing
@testable import Tickets

/// The relay's window of decoded events shared by consumers: whatever sequence of reads
/// filled it, what it hands out is exactly what a read of the log would have returned.
@Suite("Event relay window")
struct EventRelayWindowTests {
    /// A log of `rows` rows in id order; every seventh cannot be decoded.
    private struct Log {
        var head: Int64 = 0
        func isUnreadable(_ id: Int64) -> Bool { id.isMultiple(of: 7) }

        /// What `EventLog.read(after:limit:)` returns now, as the relay builds a batch of it
        /// (`seen` stands for the head when the read began).
        func read(after position: Int64, limit: Int) -> EventRelay.Batch {
            let ids = position < head ? Array((position + 1)...min(head, position + Int64(limit))) : []
            return EventRelay.Batch(after: position, last: ids.last, events: ids.filter { !isUnreadable($0) }.map(event),
                                    unreadable: ids.filter(isUnreadable).map { EventLog.Unreadable(id: $0, type: "x", reason: "test") },
                                    seen: UInt64(head), complete: ids.count < limit)
        }

        func event(_ id: Int64) -> LoggedEvent {
            LoggedEvent(id: id, at: Date(timeIntervalSince1970: 0), actor: EventActor(kind: .system, id: nil, name: nil),
                        event: .notificationsRead(AgentID(1), unread: Int(id)))
        }
    }

    @Test("on thousands of generated reads and requests, a batch from the window is exactly the log's rows after the cursor")
    func generated() {
        var random = SplitMix(seed: 10)
        var log = Log()
        var window: EventRelay.Window?
        var cursors: [Int64] = [0, 0, 0]
        var served = 0, capped = 0
        for _ in 0..<4_000 {
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                log.head += Int64.random(in: 1...(Bool.random(using: &random) ? 3 : 400), using: &random)
            case 1:
                // A consumer reads from its cursor and moves on (or a read from an older place, as a lagging consumer's).
                let index = Int.random(in: 0..<cursors.count, using: &random)
                let lagging = Int.random(in: 0..<4, using: &random) == 0
                let batch = log.read(after: lagging ? Int64.random(in: 0...log.head, using: &random) : cursors[index], limit: EventRelay.batchSize)
                if window == nil { window = EventRelay.Window(batch) } else { window!.add(batch) }
                if !lagging, let last = batch.last { cursors[index] = last }
            default:
                let index = Int.random(in: 0..<cursors.count, using: &random)
                let limit = Int.random(in: 1...EventRelay.batchSize, using: &random)
                guard let batch = window?.batch(after: cursors[index], limit: limit), let last = batch.last else { continue }
                served += 1
                let ids = Array((cursors[index] + 1)...last)
                #expect(ids.count <= limit)
                #expect(batch.events.map(\.id) == ids.filter { !log.isUnreadable($0) })
                #expect(batch.unreadable.map(\.id) == ids.filter(log.isUnreadable))
                // Complete: everything committed before the read began (its `seen`) is in it.
                if batch.complete { #expect(last >= Int64(batch.seen)) } else { capped += 1 }
                cursors[index] = last
            }
            #expect((window?.events.count ?? 0) + (window?.unreadable.count ?? 0) <= EventRelay.Window.keptRows)
        }
        #expect(served > 500 && capped > 10, "served \(served), capped \(capped)")
    }

    @Test("a window holds nothing before its start or past its end, and an older read does not replace it")
    func bounds() throws {
        var log = Log()
        log.head = 20
        var window = try #require(EventRelay.Window(log.read(after: 10, limit: 512)))
        #expect(window.batch(after: 9, limit: 512) == nil && window.batch(after: 20, limit: 512) == nil)
        #expect(window.batch(after: 10, limit: 512)?.events.first?.id == 11)
        window.add(log.read(after: 0, limit: 5))
        #expect(window.batch(after: 10, limit: 512)?.last == 20)
        log.head = 30
        window.add(log.read(after: 15, limit: 512))
        #expect(window.batch(after: 10, limit: 512)?.last == 30)
        #expect(window.batch(after: 10, limit: 512)?.events.map(\.id) == [11, 12, 13, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26, 27, 29, 30])
    }
}
