import Foundation
import Testing
import Tickets
@testable import Web

@Suite("Web in process: routes, the event log and the live hub", .serialized)
struct InProcessTests {
    @Test("a ticket created through the router is in the log and reaches a live board subscriber with its log position as seq")
    func createdTicketReachesTheBoard() async throws {
        let desk = try await InProcessDesk()
        let ada = try await desk.agent("Ada")
        let live = try await LiveClient.open(port: desk.port, session: ada)
        try live.send(["type": "subscribe", "room": "board", "id": 1])
        #expect(await live.receive { $0["type"] as? String == "subscribed" }?["room"] as? String == "board")
        let created = try await desk.request(.post, "/api/tickets", json: [
            "subject": "Printer on fire", "description": "Smoke", "requester": ["name": "Grace", "email": "grace@example.test"],
        ], session: ada)
        #expect(created.status == 201)
        let event = await live.receive { $0["type"] as? String == "event" }
        let position = try await desk.services.database.eventLogHead()
        #expect(event?["seq"] as? Int == Int(position))
        #expect((event?["event"] as? [String: Any])?["kind"] as? String == "ticket.created")
        #expect((event?["by"] as? [String: Any])?["name"] as? String == "Ada")
        await desk.close()
    }

    @Test("a route refuses a missing permission and writes nothing to the log")
    func refusedCommandsLogNothing() async throws {
        let desk = try await InProcessDesk()
        let viewer = try await desk.services.accounts.createRole(name: "Viewer", permissions: [.ticketView], by: .system)
        _ = try await desk.agent("Ada")
        let head = try await desk.services.database.eventLogHead()
        _ = try await desk.services.accounts.createAgent(name: "Vic", email: "vic@example.test", password: InProcessDesk.password,
                                                         role: viewer.id, by: .system)
        let vic = try await desk.signIn("vic@example.test")
        let afterSetup = try await desk.services.database.eventLogHead()
        #expect(afterSetup == head + 1)  // agent.created
        let refused = try await desk.request(.post, "/api/tickets", json: [
            "subject": "Nope", "description": "x", "requester": ["name": "G", "email": "g@example.test"],
        ], session: vic)
        #expect(refused.status == 403)
        #expect(try await desk.services.database.eventLogHead() == afterSetup)
        await desk.close()
    }

    @Test("signing out ends the live socket with 4401 within a second")
    func signOutClosesLiveSockets() async throws {
        let desk = try await InProcessDesk()
        let ada = try await desk.agent("Ada")
        let live = try await LiveClient.open(port: desk.port, session: ada, timeoutSeconds: 1)
        try live.send(["type": "subscribe", "room": "board"])
        _ = await live.receive { $0["type"] as? String == "subscribed" }
        #expect(try await desk.request(.delete, "/api/session", session: ada).status == 204)
        #expect((await live.receive { _ in false })?["close"] as? Int == 4401)
        await desk.close()
    }

    @Test("subscribing to a ticket that does not exist is answered not_found and announces nobody to the board")
    func unknownTicketRoom() async throws {
        let desk = try await InProcessDesk()
        let ada = try await desk.agent("Ada"), bob = try await desk.agent("Bob")
        let board = try await LiveClient.open(port: desk.port, session: ada, timeoutSeconds: 1)
        try board.send(["type": "subscribe", "room": "board"])
        _ = await board.receive { $0["type"] as? String == "subscribed" }
        let prober = try await LiveClient.open(port: desk.port, session: bob)
        try prober.send(["type": "subscribe", "room": "ticket:424242", "id": "probe"])
        let answer = await prober.receive { $0["type"] as? String == "error" || $0["type"] as? String == "subscribed" }
        #expect(answer?["code"] as? String == "not_found")
        #expect((await board.receive { $0["type"] as? String == "viewing" }) == nil)
        await desk.close()
    }

    /// Issue 10's freeze: sockets that stop reading, filled by typing broadcasts only, all on one
    /// loop. The typing broadcast that pushes one over the queue limit closes it, and the close
    /// calls back into presence. Before the fix that re-entered the lock the broadcaster held
    /// and the loop deadlocked; now the socket is dropped and the loop keeps answering.
    @Test("sockets that stop reading and cross the queue limit during typing broadcasts cannot freeze the loop")
    func stalledSubscribersCannotFreezeTheLoop() async throws {
        let desk = try await InProcessDesk { $0.maxQueuedBytesPerConnection = 48 * 1024 }
        let ada = try await desk.agent("Ada")
        let created = try await desk.request(.post, "/api/tickets", json: [
            "subject": "Stall", "description": "x", "requester": ["name": "G", "email": "g@example.test"],
        ], session: ada)
        let room = "ticket:\(created.json?["id"] as? Int ?? 0)"
        // Twenty viewers with long names: every typing message lists them all (about 5 KB).
        var typists: [LiveClient] = []
        for index in 0..<20 {
            let name = "Typist\(index)" + String(repeating: "e", count: 180)
            let session = try await desk.agent(name, role: .agent)
            let socket = try await LiveClient.open(port: desk.port, session: session, receiveBuffer: 2048)
            try socket.send(["type": "subscribe", "room": room])
            typists.append(socket)
        }
        let watcher = try await LiveClient.open(port: desk.port, session: ada, timeoutSeconds: 5)
        var dropped = 0, froze = false
        for round in 0..<3_000 where dropped == 0 && !froze {
            for (index, socket) in typists.enumerated() {
                try? socket.send(["type": (round + index) % 2 == 0 ? "typing" : "stopTyping", "room": room, "composing": "reply"])
            }
            // A tenth of a second per round on the injected clock keeps every socket under the
            // 30 messages a second it may send.
            desk.clock.advance(0.1)
            if round % 25 == 0 {
                // The loop still answers: a ping on the same loop gets its pong.
                try watcher.send(["type": "ping"])
                let pong = await watcher.receive { $0["type"] as? String == "pong" }
                froze = pong == nil
                #expect(!froze, "the loop froze in round \(round)")
            }
            dropped = desk.server.metrics.snapshot.first { $0.name == "realtime_slow_consumers_dropped_total" }?.value ?? 0
        }
        // A frozen loop cannot be shut down: leave it (the test has failed) rather than hang.
        guard !froze else { return }
        #expect(dropped > 0, "no socket was dropped: the test did not reach the queue limit")
        try watcher.send(["type": "ping"])
        #expect(await watcher.receive { $0["type"] as? String == "pong" } != nil)
        #expect(try await desk.request(.get, "/healthz").status == 200)
        await desk.close()
    }

    @Test("an agent holds at most 50 live sockets; the 51st upgrade is refused with 429 and one closing frees a place")
    func liveSocketsPerAgentAreBounded() async throws {
        let desk = try await InProcessDesk()
        let ada = try await desk.agent("Ada")
        var open: [LiveClient] = []
        for _ in 0..<50 { open.append(try await LiveClient.open(port: desk.port, session: ada)) }
        await #expect(throws: TestFailure.self) { _ = try await LiveClient.open(port: desk.port, session: ada) }
        open.removeLast()  // closes its socket; the server notices at the end of a loop iteration
        var reopened: LiveClient?
        for _ in 0..<50 where reopened == nil {
            reopened = try? await LiveClient.open(port: desk.port, session: ada)
        }
        #expect(reopened != nil)
        await desk.close()
    }
}
