import Foundation
import Testing
@testable import Presence

@Suite("PresenceRegistry: viewers and typists per room, with an injected clock")
struct PresenceRegistryTests {
    let ada = PresenceRegistry.Person(userID: 1, name: "Ada Lovelace")
    let bob = PresenceRegistry.Person(userID: 2, name: "Bob")
    let t0 = Date(timeIntervalSince1970: 1_000_000)

    @Test("A user joining a room is announced once, and listed as a viewer")
    func joinAnnouncesOnce() {
        var registry = PresenceRegistry()
        #expect(registry.join("ticket:1", connection: .local(10), person: ada, now: t0) == [.joined(room: "ticket:1", person: ada)])
        #expect(registry.join("ticket:1", connection: .local(10), person: ada, now: t0).isEmpty)
        #expect(registry.viewers(of: "ticket:1") == [ada])
        #expect(ada.initials == "AL")
    }

    @Test("Two tabs of one agent are one viewer, who leaves only with the last tab")
    func tabsOfOneUser() {
        var registry = PresenceRegistry()
        _ = registry.join("ticket:1", connection: .local(10), person: ada, now: t0)
        #expect(registry.join("ticket:1", connection: .local(11), person: ada, now: t0).isEmpty)
        #expect(registry.viewers(of: "ticket:1") == [ada])
        #expect(registry.leave("ticket:1", connection: .local(10)).isEmpty)
        #expect(registry.leave("ticket:1", connection: .local(11)) == [.left(room: "ticket:1", person: ada)])
        #expect(registry.viewers(of: "ticket:1").isEmpty)
    }

    @Test("A dropped connection that stops pinging expires; one that pings stays")
    func silentConnectionsExpire() {
        var registry = PresenceRegistry(viewerTimeoutSeconds: 60)
        _ = registry.join("ticket:1", connection: .local(10), person: ada, now: t0)
        _ = registry.join("ticket:1", connection: .local(20), person: bob, now: t0)
        registry.touch(.local(20), now: t0 + 50)
        #expect(registry.expire(now: t0 + 59).isEmpty)
        #expect(registry.expire(now: t0 + 61) == [.left(room: "ticket:1", person: ada)])
        #expect(registry.viewers(of: "ticket:1") == [bob])
    }

    @Test("Typing is announced once per kind, cleared on stop, and expires without new signals")
    func typingLifecycle() {
        var registry = PresenceRegistry(typingTimeoutSeconds: 8)
        _ = registry.join("ticket:1", connection: .local(10), person: ada, now: t0)
        #expect(registry.typing("ticket:1", connection: .local(10), composing: .reply, now: t0) == [.typing(room: "ticket:1", person: ada, composing: .reply)])
        #expect(registry.typing("ticket:1", connection: .local(10), composing: .reply, now: t0 + 3).isEmpty)
        #expect(registry.typing("ticket:1", connection: .local(10), composing: .note, now: t0 + 4) == [.typing(room: "ticket:1", person: ada, composing: .note)])
        #expect(registry.expire(now: t0 + 11).isEmpty)
        #expect(registry.expire(now: t0 + 13) == [.stoppedTyping(room: "ticket:1", person: ada)])
        _ = registry.typing("ticket:1", connection: .local(10), composing: .reply, now: t0 + 20)
        #expect(registry.stopTyping("ticket:1", connection: .local(10)) == [.stoppedTyping(room: "ticket:1", person: ada)])
        #expect(registry.typists(in: "ticket:1").isEmpty)
    }

    @Test("Typing outside a joined room is ignored")
    func typingRequiresMembership() {
        var registry = PresenceRegistry()
        #expect(registry.typing("ticket:1", connection: .local(10), composing: .reply, now: t0).isEmpty)
    }

    @Test("Disconnecting clears typing first, then presence, in every room")
    func disconnectClearsEverything() {
        var registry = PresenceRegistry()
        _ = registry.join("ticket:1", connection: .local(10), person: ada, now: t0)
        _ = registry.join("board", connection: .local(10), person: ada, now: t0)
        _ = registry.typing("ticket:1", connection: .local(10), composing: .reply, now: t0)
        #expect(registry.disconnect(.local(10)) == [
            .left(room: "board", person: ada),
            .stoppedTyping(room: "ticket:1", person: ada),
            .left(room: "ticket:1", person: ada),
        ])
        #expect(registry.viewers(of: "board").isEmpty)
    }
}
