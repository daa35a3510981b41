import Foundation
import Testing
@testable import Tickets

/// The node link between server processes on one PostgreSQL database: leadership by an
/// advisory lock, the bus over NOTIFY, and the relay's wake-ups. Links here are separate
/// sessions, as separate processes would have. The waits are for another session's real
/// work (a lock freed, a notification delivered) and end as soon as it is seen.
@Suite("PostgreSQL node link", .enabled(if: TestDatabase.isPostgres, TestDatabase.skipReason))
struct PostgresNodeLinkTests {
    /// A migrated database and the links made on it, stopped and dropped at the end.
    final class Cluster: @unchecked Sendable {
        let url: PostgresURL
        let database: Database
        private(set) var links: [PostgresNodeLink] = []
        let changes = Shared<[(node: String, leader: Bool)]>([])

        init() throws {
            url = try TestDatabase.createPostgres(on: TestDatabase.server!)
            database = try Database(location: .postgres(url))
        }

        deinit {
            for link in links { link.stop() }
            TestDatabase.drop(.postgres(url))
        }

        /// A started link named `name`, with its own wake-up signal.
        @discardableResult
        func link(_ name: String, signal: Signal = Signal()) -> PostgresNodeLink {
            let link = PostgresNodeLink(url: url, nodeID: name, eventsCommitted: signal, log: { _ in })
            links.append(link)
            let changes = self.changes
            link.start { leader in changes.withLock { $0.append((name, leader)) } }
            return link
        }

        var leaders: [String] { links.filter(\.isLeader).map(\.nodeID) }
    }

    /// A value shared with the links' threads.
    final class Shared<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value
        init(_ value: Value) { self.value = value }
        func withLock<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
    }

    /// Polls `condition` every 20 ms until it holds or `seconds` pass.
    static func eventually(within seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test("exactly one of several nodes leads; when it stops, another takes over within seconds")
    func oneLeaderAndTakeover() async throws {
        let cluster = try Cluster()
        for name in ["a", "b", "c"] { cluster.link(name) }
        // `start` returns after the first bid, so the first node to bid already leads.
        #expect(cluster.leaders == ["a"])
        let first = cluster.links[0]
        first.stop()
        #expect(await Self.eventually { cluster.leaders.count == 1 && cluster.leaders != ["a"] })
        // Still exactly one after several more bidding rounds.
        try await Task.sleep(for: .milliseconds(Int(PostgresNodeLink.retrySeconds * 2_500)))
        #expect(cluster.leaders.count == 1)
        let calls = cluster.changes.withLock { $0 }
        #expect(calls.filter(\.leader).count == 2, "a, then one of b and c: \(calls)")
    }

    @Test("a leader whose session the server ends steps down and bids again")
    func leaderSessionTerminated() async throws {
        let cluster = try Cluster()
        let link = cluster.link("solo")
        #expect(link.isLeader)
        try PostgresTestServer.psql(cluster.url.string, """
            SELECT pg_terminate_backend(pid) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND pid <> pg_backend_pid()
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """)
        #expect(await Self.eventually { cluster.changes.withLock { $0.map(\.leader) } == [true, false, true] })
        #expect(link.isLeader)
    }

    @Test("the bus carries messages to the other nodes in order, never back to their sender")
    func busDelivers() async throws {
        let cluster = try Cluster()
        let a = cluster.link("a"), b = cluster.link("b"), c = cluster.link("c")
        let atB = Shared<[String]>([]), atA = Shared<[String]>([]), atC = Shared<[String]>([])
        a.subscribe(.presence) { from, payload in atA.withLock { $0.append("\(from):\(payload)") } }
        b.subscribe(.presence) { from, payload in atB.withLock { $0.append("\(from):\(payload)") } }
        c.subscribe(.presence) { from, payload in atC.withLock { $0.append("\(from):\(payload)") } }
        let sent = (0..<200).map { "message \($0) é 🎫" }
        for message in sent { a.publish(message, on: .presence) }
        // Too long for a NOTIFY: dropped at the sender, the rest still flows.
        a.publish(String(repeating: "x", count: NodeBusLimits.maxPayloadBytes + 1), on: .presence)
        b.publish("from b", on: .presence)
        let expected = sent.map { "a:\($0)" }
        #expect(await Self.eventually { atB.withLock { $0.count } >= expected.count && atC.withLock { $0.count } >= expected.count + 1 })
        #expect(atB.withLock { $0 } == expected)
        #expect(atC.withLock { $0.filter { $0.hasPrefix("a:") } } == expected)
        #expect(await Self.eventually { atA.withLock { $0 } == ["b:from b"] })
    }

    @Test("a commit that appends events wakes the relays of every node; a rolled-back one does not")
    func commitsWakeOtherNodes() async throws {
        let cluster = try Cluster()
        let signal = Signal()
        cluster.link("listener", signal: signal)
        // Starting signals once (commits before the link listened were not heard).
        let seen = signal.current
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await cluster.database.write { db in
                try EventLog.append(.notificationsRead(AgentID(1), unread: 1),
                                    by: .system, at: Date(), db)
                throw Abort()
            }
        }
        try await cluster.database.write { db in
            try EventLog.append(.notificationsRead(AgentID(1), unread: 0), by: .system, at: Date(), db)
        }
        #expect(await Self.eventually { signal.current != seen })
        // The one commit woke it once; the rolled-back transaction never notified.
        try await Task.sleep(for: .milliseconds(300))
        #expect(signal.current == seen + 1)
    }
}
