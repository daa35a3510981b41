import Foundation
import Presence
import Synchronization
import Testing
import Tickets
@testable import Web

/// Several `PresenceService`s, one per node, joined by a `MemoryBusHub` on one manual clock.
/// Each node's broadcasts are kept as its clients would receive them; `settle` passes every
/// message around until the nodes are quiet. Timers never run: tests call `sweep` and
/// `heartbeat` after moving the clock.
final class PresenceDesk: Sendable {
    final class Node: Sendable {
        /// What this node broadcast, in order, as (room, text).
        final class Sent: Sendable {
            let messages = Mutex<[(room: String, text: String)]>([])
        }

        let name: String
        let service: PresenceService
        private let sent = Sent()

        init(_ name: String, hub: MemoryBusHub, clock: ManualClock) {
            let sent = self.sent
            self.name = name
            service = PresenceService(now: clock.clock, bus: hub.node(name)) { room, text in
                sent.messages.withLock { $0.append((room, text)) }
            }
        }

        /// The last message of `type` this node broadcast to `room` for which `matching` holds.
        func last(_ type: String, in room: String, where matching: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
            let texts = sent.messages.withLock { $0.filter { $0.room == room }.map(\.text) }
            for text in texts.reversed() {
                guard let message = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { continue }
                if message["type"] as? String == type, matching(message) { return message }
            }
            return nil
        }

        /// The names in the last `presence` message to `room` (nil: none was sent).
        func presence(_ room: String) -> [String]? { names(last("presence", in: room)?["viewers"]) }
        /// The names in the last `typing` message to `room`, with what they compose.
        func typing(_ room: String) -> [String]? {
            (last("typing", in: room)?["typing"] as? [[String: Any]]).map { $0.map { "\($0["name"] ?? "") \($0["composing"] ?? "")" } }
        }
        /// The names in the last `viewing` message to `board` for ticket `id`.
        func viewing(_ id: Int) -> [String]? {
            names(last("viewing", in: "board") { $0["ticketId"] as? Int == id }?["viewers"])
        }
        func broadcastCount() -> Int { sent.messages.withLock { $0.count } }

        private func names(_ people: Any?) -> [String]? {
            (people as? [[String: Any]]).map { $0.compactMap { $0["name"] as? String } }
        }
    }

    let hub = MemoryBusHub()
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))
    let nodes: [String: Node]

    init(_ names: [String]) {
        var nodes: [String: Node] = [:]
        for name in names { nodes[name] = Node(name, hub: hub, clock: clock) }
        self.nodes = nodes
        for name in names { nodes[name]!.service.connect() }
        settle()
    }

    subscript(_ name: String) -> Node { nodes[name]! }

    /// Hands every queued broadcast and bus message on until nothing moves.
    func settle() {
        repeat {
            for node in nodes.values { node.service.waitForOutbox() }
        } while hub.deliver() > 0
    }

    /// Moves the clock, then every node but `except` heartbeats and every node sweeps.
    func tick(_ seconds: TimeInterval, except silent: Set<String> = []) {
        clock.advance(seconds)
        for (name, node) in nodes where !silent.contains(name) { node.service.heartbeat() }
        settle()
        for node in nodes.values { node.service.sweep() }
        settle()
    }
}

@Suite("PresenceService across nodes: presence and typing over the NodeBus, expiring with their node")
struct PresenceServiceClusterTests {
    let ada = PresenceRegistry.Person(userID: 1, name: "Ada")
    let bob = PresenceRegistry.Person(userID: 2, name: "Bob")

    @Test("a viewer on node A appears in node B's ticket room and board, and in B's subscribed answer")
    func viewerCrossesNodes() {
        let desk = PresenceDesk(["A", "B"])
        _ = desk["A"].service.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        desk.settle()
        #expect(desk["B"].presence("ticket:7") == ["Ada"])
        #expect(desk["B"].viewing(7) == ["Ada"])
        let state = desk["B"].service.join("ticket:7", connection: 1, person: bob, now: desk.clock.now())
        #expect(state.viewers.map(\.name) == ["Ada", "Bob"])
        desk.settle()
        #expect(desk["A"].presence("ticket:7") == ["Ada", "Bob"])
        #expect(desk["B"].service.boardSummaries().count == 1)
    }

    @Test("typing on node A shows on node B, is renewed by every signal, and stops with stopTyping or A's expiry")
    func typingCrossesNodes() {
        let desk = PresenceDesk(["A", "B"])
        let a = desk["A"].service, b = desk["B"].service
        _ = a.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        a.typing("ticket:7", connection: 1, composing: .note, now: desk.clock.now())
        desk.settle()
        #expect(desk["B"].typing("ticket:7") == ["Ada note"])
        a.stopTyping("ticket:7", connection: 1)
        desk.settle()
        #expect(desk["B"].typing("ticket:7") == [])
        #expect(b.viewerNames("ticket:7") == ["Ada"])

        // Signals every 3 s keep it for 12 s on both nodes; then A's own expiry stops it everywhere.
        for _ in 0..<4 {
            a.typing("ticket:7", connection: 1, composing: .reply, now: desk.clock.now())
            desk.tick(3)
        }
        #expect(b.typistNames("ticket:7") == ["Ada"])
        desk.tick(3)
        desk.tick(3)
        #expect(a.typistNames("ticket:7") == [] && b.typistNames("ticket:7") == [])
        #expect(desk["B"].typing("ticket:7") == [])
    }

    @Test("one user with tabs on two nodes is one viewer on a third, and leaves only with the last tab")
    func oneUserOnTwoNodes() {
        let desk = PresenceDesk(["A", "B", "C"])
        _ = desk["A"].service.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        _ = desk["B"].service.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        desk.settle()
        #expect(desk["C"].presence("ticket:7") == ["Ada"])
        #expect(desk["A"].service.viewerNames("ticket:7") == ["Ada"])
        let before = desk["C"].broadcastCount()
        desk["A"].service.leave("ticket:7", connection: 1)
        desk.settle()
        #expect(desk["C"].service.viewerNames("ticket:7") == ["Ada"] && desk["A"].service.viewerNames("ticket:7") == ["Ada"])
        #expect(desk["C"].broadcastCount() == before)  // nobody left: nothing to tell C's clients
        desk["B"].service.disconnect(1)
        desk.settle()
        #expect(desk["C"].presence("ticket:7") == [] && desk["A"].presence("ticket:7") == [])
        #expect(desk["C"].viewing(7) == [])
    }

    @Test("a node that stops heartbeating loses its viewers and typists on the others after 15 s; a heartbeating one keeps them")
    func silentNodeExpires() {
        let desk = PresenceDesk(["A", "B", "C"])
        _ = desk["A"].service.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        desk["A"].service.typing("ticket:7", connection: 1, composing: .reply, now: desk.clock.now())
        _ = desk["C"].service.join("ticket:8", connection: 1, person: bob, now: desk.clock.now())
        desk.settle()
        desk.hub.silence("A")  // killed: nothing more from A
        desk.tick(5, except: ["A"])
        desk.tick(5, except: ["A"])
        desk.tick(5, except: ["A"])  // t = 15 s: exactly the limit
        #expect(desk["B"].service.viewerNames("ticket:7") == ["Ada"])
        desk.tick(0.5, except: ["A"])
        #expect(desk["B"].presence("ticket:7") == [] && desk["B"].typing("ticket:7") == [] && desk["B"].viewing(7) == [])
        #expect(desk["C"].service.viewerNames("ticket:7") == [])
        #expect(desk["B"].service.viewerNames("ticket:8") == ["Bob"])
        #expect(desk["B"].service.metrics.contains { $0 == ("helpdesk_presence_silent_nodes_total", 1) })
    }

    @Test("a lost delta is repaired by the next full state: a lost join appears, a lost leave leaves")
    func fullStateRepairsLostDeltas() {
        let desk = PresenceDesk(["A", "B"])
        desk.hub.lose { from, payload in from == "A" && payload.contains(#""k":"delta""#) }
        _ = desk["A"].service.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        desk.settle()
        #expect(desk["B"].service.viewerNames("ticket:7") == [])
        desk["A"].service.heartbeat()
        desk.settle()
        #expect(desk["B"].presence("ticket:7") == ["Ada"])
        desk["A"].service.disconnect(1)
        desk.settle()
        #expect(desk["B"].service.viewerNames("ticket:7") == ["Ada"])
        desk["A"].service.heartbeat()
        desk.settle()
        #expect(desk["B"].presence("ticket:7") == [])
    }

    @Test("a state too big for one message is split; a lost part keeps the previous state until the next whole one")
    func largeStateIsSplit() {
        let desk = PresenceDesk(["A", "B"])
        let a = desk["A"].service
        for user in 1...300 {
            let person = PresenceRegistry.Person(userID: Int64(user), name: "Agent \(user) " + String(repeating: "x", count: 150))
            _ = a.join("ticket:\(user)", connection: UInt64(user), person: person, now: desk.clock.now())
        }
        desk.settle()
        let before = desk.hub.publishedCount("A")
        desk.hub.lose { from, payload in from == "A" && payload.contains(#""k":"delta""#) }
        a.disconnect(300)
        a.heartbeat()
        desk.settle()
        #expect(desk.hub.publishedCount("A") - before > 5)
        #expect(desk["B"].service.viewerNames("ticket:299").count == 1)
        #expect(desk["B"].service.viewerNames("ticket:300").isEmpty)

        desk.hub.lose { from, payload in from == "A" && (payload.contains(#""k":"delta""#) || payload.contains(#""i":2,"#)) }
        a.disconnect(299)
        a.heartbeat()
        desk.settle()
        #expect(desk["B"].service.viewerNames("ticket:299").count == 1)  // the state was incomplete: not applied
        desk.hub.lose(nil)
        a.heartbeat()
        desk.settle()
        #expect(desk["B"].service.viewerNames("ticket:299").isEmpty)
        #expect(desk["B"].service.viewerNames("ticket:298").count == 1)
        #expect(desk["B"].service.metrics.contains { $0 == ("helpdesk_presence_remote_entries", 298) })
        #expect(desk["B"].service.metrics.contains { $0 == ("helpdesk_presence_discarded_states_total", 1) })
    }

    @Test("a node that starts says hello and has everyone's state at once, before any heartbeat")
    func helloBringsState() {
        let desk = PresenceDesk(["A", "B"])
        _ = desk["A"].service.join("ticket:7", connection: 1, person: ada, now: desk.clock.now())
        desk.settle()
        let late = PresenceDesk.Node("C", hub: desk.hub, clock: desk.clock)
        late.service.connect()
        for _ in 0..<3 {
            late.service.waitForOutbox()
            desk.settle()
        }
        #expect(late.service.viewerNames("ticket:7") == ["Ada"])
        #expect(late.presence("ticket:7") == ["Ada"])
    }

    @Test("unreadable payloads, a message from this node's own id and a huge one are ignored and counted")
    func badPayloadsAreIgnored() {
        let desk = PresenceDesk(["A", "B"])
        let b = desk["B"].service
        let before = desk["B"].broadcastCount()
        b.receive("not json", from: "A")
        b.receive(#"{"v":1,"k":"delta","e":[{"a":"view","n":"Eve","r":"board","u":9}]}"#, from: "A")
        b.receive(#"{"v":1,"k":"delta","e":[{"a":"view","n":"Eve","r":"ticket:1","u":9}]}"#, from: "B")
        b.receive(#"{"v":1,"k":"delta","e":[{"a":"view","n":"Eve","r":"ticket:1","u":9}]}"#, from: String(repeating: "n", count: 300))
        b.receive(String(repeating: " ", count: NodeBusLimits.maxPayloadBytes + 1), from: "A")
        desk.settle()
        #expect(b.viewerNames("ticket:1") == [] && desk["B"].broadcastCount() == before)
        #expect(b.metrics.contains { $0 == ("helpdesk_presence_unreadable_messages_total", 5) })
        b.receive(#"{"v":1,"k":"delta","e":[{"a":"view","n":"Eve","r":"ticket:1","u":9}]}"#, from: "A")
        #expect(b.viewerNames("ticket:1") == ["Eve"])
    }

    @Test("without other nodes (SoloNode) presence works on its own node as before")
    func soloNode() {
        let rooms = Mutex<[String]>([])
        let service = PresenceService(now: { Date() }, bus: SoloNode(nodeID: "solo")) { room, _ in rooms.withLock { $0.append(room) } }
        service.connect()
        _ = service.join("ticket:7", connection: 1, person: ada, now: Date())
        service.waitForOutbox()
        #expect(rooms.withLock { $0 } == ["ticket:7", "board"])
        #expect(service.viewerNames("ticket:7") == ["Ada"])
    }
}
