import Foundation
import Testing
import Tickets
@testable import Web

/// Two whole desks in process, each its own server on loopback, joined as nodes by an
/// automatic `MemoryBusHub`: the path from a socket on one node through `LiveHub`,
/// `PresenceService` and the bus to the sockets of the other. Each desk has its own database
/// (nodes share one in production), so each creates the same agents and ticket in the same
/// order, and the ids agree.
@Suite("Presence across two in-process nodes, with real WebSocket clients", .serialized)
struct PresenceAcrossDesksTests {
    private static func subscribe(_ client: LiveClient, _ room: String) async -> [String: Any]? {
        try? client.send(["type": "subscribe", "room": room, "id": room])
        return await client.receive { $0["type"] as? String == "subscribed" && $0["room"] as? String == room }
    }

    private static func names(_ people: Any?) -> [String] {
        ((people as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
    }

    @Test("an agent on node A sees an agent on node B join, type, stop and leave, in presence, typing and board viewing")
    func agentsOnTwoNodes() async throws {
        let hub = MemoryBusHub(automatic: true)
        let a = try await InProcessDesk(bus: hub.node("A")), b = try await InProcessDesk(bus: hub.node("B"))
        var sessions: [(InProcessDesk.Session, InProcessDesk.Session)] = []
        var tickets: [Int] = []
        for desk in [a, b] {
            let ada = try await desk.agent("Ada"), bob = try await desk.agent("Bob")
            sessions.append((ada, bob))
            let created = try await desk.request(.post, "/api/tickets", json: [
                "subject": "Two nodes", "requester": ["name": "Grace", "email": "grace@example.test"],
            ], session: ada)
            tickets.append(try #require(created.json?["id"] as? Int))
        }
        #expect(tickets[0] == tickets[1] && sessions[0].0.agentID == sessions[1].0.agentID)
        let room = "ticket:\(tickets[0])"

        let ada = try await LiveClient.open(port: a.port, session: sessions[0].0)
        _ = await Self.subscribe(ada, "board")
        _ = await Self.subscribe(ada, room)
        let bob = try await LiveClient.open(port: b.port, session: sessions[1].1)
        // Ada's join has left node A's queue and reached node B: Bob's answer lists her.
        try #require(a.app.presence.get()).waitForOutbox()
        hub.waitForDeliveries()
        let subscribed = await Self.subscribe(bob, room)
        #expect(Self.names(subscribed?["viewers"]) == ["Ada", "Bob"])
        let metrics = try await b.request(.get, "/metrics").text
        #expect(metrics.contains("helpdesk_presence_nodes 1\n") && metrics.contains("helpdesk_presence_remote_entries 1\n"))
        #expect(metrics.contains("helpdesk_presence_unreadable_messages_total 0\n"))

        let presence = await ada.receive { $0["type"] as? String == "presence" && Self.names($0["viewers"]) == ["Ada", "Bob"] }
        #expect(presence?["room"] as? String == room)
        let viewing = await ada.receive { $0["type"] as? String == "viewing" && Self.names($0["viewers"]) == ["Ada", "Bob"] }
        #expect(viewing?["ticketId"] as? Int == tickets[0])

        try bob.send(["type": "typing", "room": room, "composing": "note"])
        let typing = await ada.receive { $0["type"] as? String == "typing" && Self.names($0["typing"]) == ["Bob"] }
        #expect(((typing?["typing"] as? [[String: Any]])?.first?["composing"] as? String) == "note")
        try bob.send(["type": "stopTyping", "room": room])
        #expect(await ada.receive { $0["type"] as? String == "typing" && Self.names($0["typing"]).isEmpty } != nil)

        try bob.send(["type": "unsubscribe", "room": room])
        #expect(await ada.receive { $0["type"] as? String == "presence" && Self.names($0["viewers"]) == ["Ada"] } != nil)
        #expect(try #require(b.app.presence.get()).viewerNames(room) == ["Ada"])
        await a.close()
        await b.close()
    }
}
