import Foundation
import Testing
@testable import Presence

@Suite("PresenceNodes: when other nodes were heard, and their full states gathered part by part")
struct PresenceNodesTests {
    typealias Entry = PresenceRegistry.NodeEntry
    let t0 = Date(timeIntervalSince1970: 1_000_000)
    func entry(_ user: Int64, _ room: String = "ticket:1") -> Entry {
        Entry(person: .init(userID: user, name: "U\(user)"), room: room, activity: .viewing)
    }

    @Test("a node silent past the limit is expired once; one heard in time stays")
    func silentNodesExpire() {
        var nodes = PresenceNodes(limits: .init(silenceSeconds: 15))
        let heard = [nodes.heard("A", now: t0), nodes.heard("B", now: t0), nodes.heard("B", now: t0 + 10)]
        #expect(heard == [true, true, true])
        #expect(nodes.expire(now: t0 + 15).isEmpty)
        #expect(nodes.expire(now: t0 + 15.5) == ["A"])
        #expect(nodes.expire(now: t0 + 16).isEmpty)
        #expect(nodes.nodes == ["B"])
    }

    @Test("nodes past maxNodes are refused until one expires")
    func boundedNodes() {
        var nodes = PresenceNodes(limits: .init(silenceSeconds: 15, maxNodes: 2))
        let heard = [nodes.heard("A", now: t0), nodes.heard("B", now: t0 + 5), nodes.heard("C", now: t0 + 5), nodes.heard("A", now: t0 + 5)]
        #expect(heard == [true, true, false, true])
        _ = nodes.expire(now: t0 + 30)
        let afterExpiry = nodes.heard("C", now: t0 + 30)
        #expect(afterExpiry)
    }

    @Test("the parts of a state complete in order; a missing part discards it once, its later parts are ignored, and the next state starts afresh")
    func partsInOrder() {
        var nodes = PresenceNodes(limits: .init(silenceSeconds: 15))
        #expect(nodes.receive(part: 0, of: 2, generation: 1, entries: [entry(1)], from: "A") == .pending)
        #expect(nodes.receive(part: 1, of: 2, generation: 1, entries: [entry(2)], from: "A") == .complete([entry(1), entry(2)], dropped: 0))
        #expect(nodes.receive(part: 0, of: 3, generation: 2, entries: [entry(1)], from: "A") == .pending)
        #expect(nodes.receive(part: 2, of: 3, generation: 2, entries: [entry(3)], from: "A") == .discarded)
        #expect(nodes.receive(part: 1, of: 2, generation: 3, entries: [entry(2)], from: "A") == .ignored)
        #expect(nodes.receive(part: 0, of: 1, generation: 4, entries: [], from: "A") == .complete([], dropped: 0))
        #expect(nodes.receive(part: 0, of: 100_000, generation: 5, entries: [], from: "A") == .discarded)
    }

    @Test("a state's entries past maxEntriesPerNode are dropped and counted")
    func boundedState() {
        var nodes = PresenceNodes(limits: .init(silenceSeconds: 15, maxEntriesPerNode: 3))
        #expect(nodes.receive(part: 0, of: 2, generation: 1, entries: [entry(1), entry(2)], from: "A") == .pending)
        #expect(nodes.receive(part: 1, of: 2, generation: 1, entries: [entry(3), entry(4), entry(5)], from: "A")
            == .complete([entry(1), entry(2), entry(3)], dropped: 2))
    }
}
