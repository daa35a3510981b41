import Foundation
import Testing
@testable import Presence

@Suite("PresenceRegistry+Nodes: other nodes' users as connections beside this node's sockets")
struct PresenceRegistryNodesTests {
    typealias Entry = PresenceRegistry.NodeEntry
    let ada = PresenceRegistry.Person(userID: 1, name: "Ada Lovelace")
    let bob = PresenceRegistry.Person(userID: 2, name: "Bob")
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test("local entries are one per user and room, composing wins over viewing across tabs, remote users are not included")
    func localEntriesAggregateTabs() {
        var registry = PresenceRegistry()
        _ = registry.join("ticket:1", connection: .local(10), person: ada, now: t0)
        _ = registry.join("ticket:1", connection: .local(11), person: ada, now: t0)
        _ = registry.join("ticket:2", connection: .local(11), person: ada, now: t0)
        _ = registry.typing("ticket:1", connection: .local(11), composing: .note, now: t0)
        _ = registry.apply([Entry(person: bob, room: "ticket:1", activity: .viewing)], from: "B", maxEntries: 10, now: t0)
        #expect(registry.localEntries() == [
            Entry(person: ada, room: "ticket:1", activity: .composing(.note)),
            Entry(person: ada, room: "ticket:2", activity: .viewing),
        ])
        #expect(registry.localEntries(of: ada, in: ["ticket:1", "ticket:3"]) == [
            Entry(person: ada, room: "ticket:1", activity: .composing(.note)),
            Entry(person: ada, room: "ticket:3", activity: .gone),
        ])
        #expect(registry.viewers(of: "ticket:1") == [ada, bob])
    }

    @Test("a user on this node and on another is one viewer, who leaves when the last of both leaves")
    func oneUserOnTwoNodes() {
        var registry = PresenceRegistry()
        #expect(registry.join("ticket:1", connection: .local(10), person: ada, now: t0) == [.joined(room: "ticket:1", person: ada)])
        #expect(registry.apply([Entry(person: ada, room: "ticket:1", activity: .viewing)], from: "B", maxEntries: 10, now: t0).changes.isEmpty)
        #expect(registry.viewers(of: "ticket:1") == [ada])
        #expect(registry.leave("ticket:1", connection: .local(10)).isEmpty)
        #expect(registry.apply([Entry(person: ada, room: "ticket:1", activity: .gone)], from: "B", maxEntries: 10, now: t0).changes
            == [.left(room: "ticket:1", person: ada)])
        #expect(registry.remoteNodes.isEmpty)
    }

    @Test("remote deltas join, type, stop typing and leave like local tabs")
    func deltas() {
        var registry = PresenceRegistry()
        let join = registry.apply([Entry(person: bob, room: "ticket:1", activity: .composing(.reply))], from: "B", maxEntries: 10, now: t0)
        #expect(join.changes == [.joined(room: "ticket:1", person: bob), .typing(room: "ticket:1", person: bob, composing: .reply)])
        let stop = registry.apply([Entry(person: bob, room: "ticket:1", activity: .viewing)], from: "B", maxEntries: 10, now: t0)
        #expect(stop.changes == [.stoppedTyping(room: "ticket:1", person: bob)])
        #expect(registry.entryCount(of: "B") == 1)
    }

    @Test("a full state replaces everything known of that node and renews its typing")
    func replaceState() {
        var registry = PresenceRegistry(typingTimeoutSeconds: 8)
        _ = registry.apply([Entry(person: ada, room: "ticket:1", activity: .viewing),
                            Entry(person: bob, room: "ticket:2", activity: .composing(.note))], from: "B", maxEntries: 10, now: t0)
        let result = registry.replace(node: "B", with: [Entry(person: bob, room: "ticket:2", activity: .composing(.note)),
                                                        Entry(person: bob, room: "ticket:3", activity: .viewing)], maxEntries: 10, now: t0 + 6)
        #expect(result.changes == [.left(room: "ticket:1", person: ada), .joined(room: "ticket:3", person: bob)])
        #expect(registry.expire(now: t0 + 13).isEmpty)  // renewed at t0 + 6, not expired at t0 + 8
        #expect(registry.typists(in: "ticket:2").map(\.person) == [bob])
    }

    @Test("forgetting a node makes its typists stop and its viewers leave, and leaves other nodes alone")
    func forget() {
        var registry = PresenceRegistry()
        _ = registry.apply([Entry(person: ada, room: "ticket:1", activity: .composing(.reply))], from: "B", maxEntries: 10, now: t0)
        _ = registry.apply([Entry(person: bob, room: "ticket:1", activity: .viewing)], from: "C", maxEntries: 10, now: t0)
        #expect(registry.forget(node: "B") == [.stoppedTyping(room: "ticket:1", person: ada), .left(room: "ticket:1", person: ada)])
        #expect(registry.viewers(of: "ticket:1") == [bob])
        #expect(registry.remoteNodes == ["C"])
    }

    @Test("a node's entries are bounded: new ones past the limit are skipped, changes to held ones still apply")
    func boundedEntries() {
        var registry = PresenceRegistry()
        let first = registry.apply([Entry(person: ada, room: "ticket:1", activity: .viewing),
                                    Entry(person: ada, room: "ticket:2", activity: .viewing),
                                    Entry(person: bob, room: "ticket:3", activity: .viewing)], from: "B", maxEntries: 2, now: t0)
        #expect(first.skipped == 1)
        #expect(registry.entryCount(of: "B") == 2)
        let typing = registry.apply([Entry(person: ada, room: "ticket:1", activity: .composing(.reply))], from: "B", maxEntries: 2, now: t0)
        #expect(typing.skipped == 0 && typing.changes == [.typing(room: "ticket:1", person: ada, composing: .reply)])
        let state = registry.replace(node: "B", with: [Entry(person: bob, room: "ticket:3", activity: .viewing),
                                                       Entry(person: bob, room: "ticket:4", activity: .viewing),
                                                       Entry(person: bob, room: "ticket:5", activity: .viewing)], maxEntries: 2, now: t0)
        #expect(state.skipped == 1)
        #expect(registry.entryCount(of: "B") == 2)
        #expect(registry.viewers(of: "ticket:1").isEmpty)
    }
}
