import Foundation
import Presence
import Testing
import Tickets
@testable import Web

/// protocol.md 2.9, "Timings a client depends on", one test per documented value, on the
/// desk's manual clock: the clock is moved, the presence sweep is run by hand, nothing sleeps.
@Suite("protocol.md 2.9: live timings on an injected clock", .serialized)
struct ProtocolTimingTests {
    private static func ticket(_ desk: InProcessDesk, _ session: InProcessDesk.Session) async throws -> Int {
        let created = try await desk.request(.post, "/api/tickets", json: [
            "subject": "Timing", "requester": ["name": "Grace", "email": "grace@example.test"],
        ], session: session)
        return try #require(created.json?["id"] as? Int)
    }

    private static func subscribe(_ client: LiveClient, _ room: String) async throws {
        try client.send(["type": "subscribe", "room": room, "id": room])
        _ = await client.receive { $0["type"] as? String == "subscribed" }
    }

    /// Reads past the queued JSON messages up to the first frame that is not JSON (a pong),
    /// so the server has handled what was sent before it.
    private static func untilPong(_ client: LiveClient) async -> [String: Any]? { await client.receive { _ in false } }

    private static func viewers(_ desk: InProcessDesk, _ room: String) throws -> [String] {
        try #require(desk.app.presence.get()).viewerNames(room)
    }

    @Test("a viewer is kept 60 s after its last accepted message and dropped by the first sweep past that; a ping renews it")
    func presenceExpiry() async throws {
        let desk = try await InProcessDesk()
        let ada = try await desk.agent("Ada"), bob = try await desk.agent("Bob")
        let id = try await Self.ticket(desk, ada)
        let room = "ticket:\(id)"
        let adaLive = try await LiveClient.open(port: desk.port, session: ada)
        let bobLive = try await LiveClient.open(port: desk.port, session: bob)
        try await Self.subscribe(adaLive, room)
        try await Self.subscribe(bobLive, room)
        #expect(try Self.viewers(desk, room) == ["Ada", "Bob"])

        desk.clock.advance(59)
        try adaLive.send(["type": "ping"])  // an application message: renews Ada at t = 59 s
        #expect(await adaLive.receive { $0["type"] as? String == "pong" } != nil)
        try bobLive.sendPing()              // a WebSocket ping: answered, but renews nothing
        #expect(await Self.untilPong(bobLive) == nil)
        desk.clock.advance(1)                // t = 60 s: Bob's last message is exactly 60 s old
        desk.app.presence.get()?.sweep()
        #expect(try Self.viewers(desk, room) == ["Ada", "Bob"])

        desk.clock.advance(0.5)              // t = 60.5 s: Bob is past the timeout
        desk.app.presence.get()?.sweep()
        #expect(try Self.viewers(desk, room) == ["Ada"])
        let presence = await adaLive.receive { ($0["type"] as? String) == "presence" && ($0["viewers"] as? [Any])?.count == 1 }
        #expect(presence != nil)
        #expect(PresenceRegistry().viewerTimeoutSeconds == 60 && PresenceService.sweepIntervalSeconds == 2)
        await desk.close()
    }

    @Test("typing is kept 8 s after the last typing signal and cleared by the first sweep past that; stopTyping clears at once")
    func typingExpiry() async throws {
        let desk = try await InProcessDesk()
        let ada = try await desk.agent("Ada"), bob = try await desk.agent("Bob")
        let id = try await Self.ticket(desk, ada)
        let room = "ticket:\(id)"
        let adaLive = try await LiveClient.open(port: desk.port, session: ada)
        let bobLive = try await LiveClient.open(port: desk.port, session: bob)
        try await Self.subscribe(adaLive, room)
        try await Self.subscribe(bobLive, room)
        try bobLive.send(["type": "typing", "room": room, "composing": "reply"])
        #expect(await adaLive.receive { ($0["type"] as? String) == "typing" && ($0["typing"] as? [Any])?.count == 1 } != nil)

        #expect(PresenceRegistry().typingTimeoutSeconds == 8)
        desk.clock.advance(8)
        desk.app.presence.get()?.sweep()
        #expect(try #require(desk.app.presence.get()).typistNames(room) == ["Bob"])
        desk.clock.advance(0.5)
        desk.app.presence.get()?.sweep()
        #expect(try #require(desk.app.presence.get()).typistNames(room) == [])
        #expect(await adaLive.receive { ($0["type"] as? String) == "typing" && ($0["typing"] as? [Any])?.isEmpty == true } != nil)

        try bobLive.send(["type": "typing", "room": room, "composing": "note"])
        #expect(await adaLive.receive { ($0["type"] as? String) == "typing" && ($0["typing"] as? [Any])?.count == 1 } != nil)
        try bobLive.send(["type": "stopTyping", "room": room])
        #expect(await adaLive.receive { ($0["type"] as? String) == "typing" && ($0["typing"] as? [Any])?.isEmpty == true } != nil)
        await desk.close()
    }

    @Test("a room replays its last 500 events; resuming from before them answers resync")
    func replayRetention() {
        let log = RoomLog()
        #expect(log.eventsPerRoom == 500 && log.maxRooms == 20_000 && HelpdeskApp.replayEventsAtStart == 5_000)
        for seq in 1...501 { log.remember("ticket:1", event: #"{"kind":"ticket.updated"}"#, seq: seq) }
        let kept = log.subscribe("ticket:1", since: 1, join: {})
        #expect(kept.seq == 501 && kept.missed?.count == 500)
        let gone = log.subscribe("ticket:1", since: 0, join: {})
        #expect(gone.missed == nil)
    }
}
