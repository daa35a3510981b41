import Foundation
import Mail
import Realtime
import Synchronization
import Tickets

/// The composition root: opens the services and builds the router (middleware, API,
/// operational routes, static files).
public final class HelpdeskApp: Sendable {
    public let router = Router()
    public let services: Services
    /// This process among the server nodes of the desk: the bus between them, the relay's
    /// wake-ups from other nodes' commits, and the leadership (`NodeLink`).
    let node: any NodeLink
    /// Reads the event log and feeds this node's own consumer, the live rooms (started by `start()`).
    let relay: EventRelay
    /// The live rooms' consumer, once a server is attached.
    private let live = LockedBox<LiveEvents?>(nil)
    /// Who views and types where, once a server is attached (tests sweep it on their clock).
    let presence = LockedBox<PresenceService?>(nil)
    /// The work of the leader, while this node is the leader (see `leadershipChanged`).
    let duties = LockedBox<LeaderDuties?>(nil)
    /// Leadership changes, run one after the other: each waits for the one before it.
    private let transitions = LockedBox<Task<Void, Never>?>(nil)
    private let eventRetentionDays: Int
    private let staticFiles: AppAssets?
    private let startedAt = Date()
    /// The portal's rate limits, shared by its routes and its live endpoint.
    private let portalThrottle: PortalThrottle
    private let trustedProxies: TrustedProxies
    /// Server counters, once a server is attached (for `/metrics`).
    private let serverMetrics = LockedBox<ServerMetrics?>(nil)

    /// Builds every route over `services`. `setup` holds the first-run setup token, if any.
    /// `testClock` (tests and demos only) must be the clock `services` runs on; it adds
    /// `POST /api/test/clock`. `security` names trusted proxies, the metrics token and
    /// whether to send HSTS. `staticDirectory` says where the browser app comes from (nil: no app).
    public init(services: Services, staticDirectory: AppFiles?, secureCookies: Bool = false, setup: SetupGate = SetupGate(token: nil),
                testClock: TestClock? = nil, security: SecurityOptions = SecurityOptions(), eventRetentionDays: Int = 30) {
        self.services = services
        portalThrottle = PortalThrottle(now: services.now)
        trustedProxies = security.trustedProxies
        self.eventRetentionDays = eventRetentionDays
        node = services.database.nodeLink(nodeID: Self.newNodeID(), log: { Log.info($0) })
        let relay = EventRelay(database: services.database, now: services.now, log: { Log.error($0) })
        self.relay = relay
        // The app's files under their content version (AppAssets): cached for good, and one
        // page never mixes two versions of its ES modules.
        staticFiles = staticDirectory?.assets
        if security.strictTransportSecurity { router.use(StrictTransportSecurityMiddleware()) }
        router.use(AccessLogMiddleware(clock: { Double(Instant.now().nanoseconds) / 1e9 }, write: { Log.info($0) }))
        router.use(ErrorMiddleware(log: { Log.error($0) }))
        router.use(AppShellMiddleware(staticFiles: staticFiles))
        addOperationalRoutes(security)
        var routes = APIRoutes(router: router, services: services, secureCookies: secureCookies)
        routes.trustedProxies = security.trustedProxies
        AccountsAPI.register(routes)
        SetupRoutes.register(routes, gate: setup)
        TicketsAPI.register(routes)
        NotificationsAPI.register(routes)
        let duties = self.duties, database = services.database
        SLAPoliciesAPI.register(routes) { position in
            var target = position
            if target == nil { target = try? await database.eventLogHead() }
            guard let target else { return }
            await Self.slaSettled(at: target, duties: duties, database: database)
        }
        if let testClock {
            TestClockRoutes.register(routes, clock: testClock)
            testClock.onAdvance { duties.get()?.clockChanged() }
        }
        CannedResponsesAPI.register(routes)
        AssignmentRulesAPI.register(routes)
        MailboxesAPI.register(routes)
        OriginalEmailAPI.register(routes)
        ReportsAPI.register(routes)
        AccessLinkRoutes.register(routes)
        PortalRoutes.register(routes, throttle: portalThrottle)
        SurveyRoutes.register(routes, throttle: portalThrottle)
        WorkflowsAPI.register(routes)
        WebhooksAPI.register(routes)
        addStaticRoutes()
    }

    /// The request handler to give the server (read once, after every route is added).
    public var handler: HTTPHandler { router.handler }

    /// Connects the app to `server`: `/metrics` reports its counters, and the live endpoints
    /// `/api/live` (presence, typing, ticket events) and `/api/portal/live` (a requester's
    /// read-only room) run on its WebSockets and rooms. Presence and typing are shared with
    /// the other nodes of the desk over `bus` (nil: this node's link, `node`; tests join
    /// in-process desks with a bus of their own).
    public func attach(to server: Server, bus: (any NodeBus)? = nil) {
        serverMetrics.set(server.metrics)
        let rooms: @Sendable () -> Rooms = { server.rooms }
        let log = RoomLog()
        let presence = PresenceService(now: services.now, rooms: rooms, bus: bus ?? node)
        let relay = self.relay, database = services.database
        let hub = LiveHub(services: services, server: server, presence: presence, log: log) { position in
            guard let head = try? await database.eventLogHead(), position <= head else { return }
            await relay.waitUntil(LiveEvents.consumerName, reaches: position)
        }
        let portal = PortalLive(services: services, throttle: portalThrottle, proxies: trustedProxies, rooms: rooms)
        live.set(LiveEvents(services: services, log: log, rooms: rooms, portal: portal, onAccessChange: { hub.accessChanged($0) }))
        server.webSocket("/api/live") { request, decide in hub.upgrade(request, decide: decide) }
        server.webSocket("/api/portal/live") { request, decide in portal.upgrade(request, decide: decide) }
        presence.start()
        self.presence.set(presence)
    }

    /// Refills the live replay buffers from the event log and starts this node's relay, then
    /// the link to the other nodes; the node that becomes the leader starts the leader's
    /// duties (`LeaderDuties`: the SLA deadlines loaded and the timer armed, the consumers
    /// that must run once, the chores, and email when `mailPublicURL` is given). Call once,
    /// after `attach(to:)` and after the server started (the live consumer broadcasts through
    /// its loops). Changes committed before are in the log: each consumer starts from its
    /// cursor. Returns once this node is the leader with its duties started, or knows it is
    /// not; returns how many SLA deadlines it loaded as the leader (and logs it).
    @discardableResult
    public func start(mailPublicURL: String? = nil) async throws -> Int {
        var positions: [String: Int64] = [:]
        var consumers: [any EventConsumer] = []
        if let live = live.get() {
            // Nobody is subscribed yet: what the log holds goes to the replay buffers, and the
            // live consumer starts after it (an event is never broadcast twice after a crash).
            let position = try await services.database.eventLogHead()
            positions[live.name] = position
            let warmed = try await live.warm(upTo: position, limit: Self.replayEventsAtStart)
            if warmed > 0 { Log.info("live rooms: \(warmed) events reloaded for resuming") }
            consumers.append(live)
        }
        try await relay.start(consumers, positions: positions)
        // The first leadership decision is queued before `start` returns; a failure to start
        // the duties on SQLite (the one node) fails the start, as a server without them is broken.
        let firstTerm = LockedBox<Result<Int, any Error>?>(nil)
        let node = self.node
        // The first bid is a connection and a query: it blocks a dispatch thread, not the task pool.
        await withCheckedContinuation { (bid: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                node.start { [weak self] leader in
                    self?.leadershipChanged(leader, mailPublicURL: mailPublicURL, outcome: firstTerm)
                }
                bid.resume()
            }
        }
        await transitions.get()?.value
        return try firstTerm.get()?.get() ?? 0
    }

    /// Starts or stops the leader's duties, after every change queued before this one (the
    /// link calls this from its one thread, so the chain is built in order). Each term's
    /// duties run email with `mailPublicURL` (what `start` was given). `outcome`
    /// receives the first term's result, which `start()` reports: a server whose duties do
    /// not start at all stops. A later term that fails to start is retried every
    /// `dutiesRetry` while this node still leads.
    private func leadershipChanged(_ leader: Bool, mailPublicURL: String?, outcome: LockedBox<Result<Int, any Error>?>) {
        let previous = transitions.get()
        let services = self.services, duties = self.duties, retention = eventRetentionDays
        let node = self.node
        transitions.set(Task {
            await previous?.value
            guard leader else {
                if outcome.get() == nil { outcome.set(.success(0)) }
                guard let term = duties.get() else { return }
                duties.set(nil)
                Log.info("node \(node.nodeID) is no longer the leader: stopping its duties")
                await term.stop()
                return
            }
            while node.isLeader {
                let term = LeaderDuties(services: services, eventRetentionDays: retention, mailPublicURL: mailPublicURL)
                do {
                    let deadlines = try await term.start()
                    duties.set(term)
                    if outcome.get() == nil { outcome.set(.success(deadlines)) }
                    return
                } catch {
                    Log.error("node \(node.nodeID): the leader's duties did not start: \(error)")
                    await term.stop()
                    if outcome.get() == nil {
                        outcome.set(.failure(error))
                        return
                    }
                    try? await Task.sleep(for: Self.dutiesRetry)
                }
            }
        })
    }

    /// The pause before a leader tries again to start duties that failed to start.
    static let dutiesRetry: Duration = .seconds(2)

    /// Stops the node link, the leader's duties (if this node leads) and the relay after the
    /// batches in hand (tests; the process ends otherwise).
    public func stop() async {
        node.stop()
        await transitions.get()?.value
        if let term = duties.get() {
            duties.set(nil)
            await term.stop()
        }
        await relay.stop()
    }

    /// Returns once the SLA scheduler has handled the event log up to `position`, so a route
    /// that moved deadlines answers with them armed. On the leader it waits for its relay; on
    /// another node it watches the cursor the leader stores (at least once a second while it
    /// moves), for up to `slaSettleTimeout`.
    private static func slaSettled(at position: Int64, duties: LockedBox<LeaderDuties?>, database: Database) async {
        if let term = duties.get() {
            await term.relay.waitUntil(SLARuntime.consumerName, reaches: position)
            return
        }
        let deadline = ContinuousClock.now + slaSettleTimeout
        while ContinuousClock.now < deadline {
            if let cursor = try? await database.eventCursor(SLARuntime.consumerName), cursor >= position { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// How long a node that does not lead waits for the leader's SLA scheduler.
    static let slaSettleTimeout: Duration = .seconds(3)

    /// A new id for this process: the host's name and a random suffix (for logs and `/healthz`).
    static func newNodeID() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "node"
        return host + "-" + String(UUID().uuidString.prefix(8)).lowercased()
    }

    /// The newest events loaded back into the live replay buffers at start-up.
    static let replayEventsAtStart = 5_000

    /// `GET /healthz`: the database answers; which node this is and whether it leads.
    private struct Health: Encodable {
        var status = "ok"
        let uptimeSeconds: Int
        let node: String
        let leader: Bool
    }

    private func addOperationalRoutes(_ security: SecurityOptions) {
        let startedAt = self.startedAt, node = self.node, duties = self.duties
        let database = services.database
        // `leader` is true while this node runs the leader's duties (from their start to their
        // stop), so a client that sees it may rely on the SLA timer and email running here.
        router.get("/healthz", async: { _ in
            do {
                _ = try await database.appliedMigrations()
            } catch {
                throw ProblemError(status: .serviceUnavailable, detail: "The database does not answer.")
            }
            let uptime = Int(Date().timeIntervalSince(startedAt))
            return try JSONBody.response(Health(uptimeSeconds: uptime, node: node.nodeID, leader: duties.get() != nil))
        })
        let serverMetrics = self.serverMetrics
        let relay = self.relay, presence = self.presence
        router.get("/metrics", async: { request in
            guard security.mayReadMetrics(request) else {
                var refusal = ProblemDetails.response(status: .unauthorized, detail: "Send Authorization: Bearer <metrics token>.")
                refusal.headers.set("WWW-Authenticate", "Bearer")
                return refusal
            }
            var lines: [(String, Int)] = []
            let head = (try? await relay.head()) ?? 0
            lines.append(("helpdesk_event_log_head", Int(head)))
            lines.append(("helpdesk_leader", duties.get() != nil ? 1 : 0))
            let term = duties.get()
            let progress = relay.progress.merging(term?.relay.progress ?? [:]) { mine, _ in mine }
            for (name, progress) in progress.sorted(by: { $0.key < $1.key }) {
                lines.append(("helpdesk_event_consumer_position{consumer=\"\(name)\"}", Int(progress.position)))
                lines.append(("helpdesk_event_consumer_lag{consumer=\"\(name)\"}", Int(max(0, head - progress.position))))
                lines.append(("helpdesk_event_consumer_delivered_total{consumer=\"\(name)\"}", progress.delivered))
                lines.append(("helpdesk_event_consumer_failures_total{consumer=\"\(name)\"}", progress.failures))
                lines.append(("helpdesk_event_consumer_unreadable_total{consumer=\"\(name)\"}", progress.unreadable))
            }
            lines += term?.maintenance.metrics ?? []
            lines += presence.get()?.metrics ?? []
            lines.append(("helpdesk_wal_checkpoint_failures_total", database.checkpointFailures.value))
            let text = (serverMetrics.get()?.prometheusText ?? "") + PrometheusText.render(lines)
            return .text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        })
        router.get("/api/openapi.json") { _ in .json(OpenAPIDocument.json) }
    }

    private func addStaticRoutes() {
        guard let staticFiles else { return }
        router.get("/") { request in
            staticFiles.response(for: request, path: "index.html") ?? HTTPResponse(status: .notFound)
        }
        // The requester portal: a page of its own, so a requester never loads the agent app.
        router.get("/portal") { request in
            staticFiles.response(for: request, path: "portal.html") ?? HTTPResponse(status: .notFound)
        }
        router.get("/survey") { request in
            staticFiles.response(for: request, path: "survey.html") ?? HTTPResponse(status: .notFound)
        }
        router.get("/static/*path") { request in
            if let response = staticFiles.response(for: request, path: request.parameters["path"] ?? "") { return response }
            throw ProblemError.notFound("No such file.")
        }
        // The same files under their content version, cacheable for good (AppAssets).
        router.get(AppAssets.prefix + ":version/*path") { request in
            if let response = staticFiles.response(for: request, version: request.parameters["version"] ?? "",
                                                   path: request.parameters["path"] ?? "") { return response }
            throw ProblemError.notFound("No such file.")
        }
    }

    /// The browser app's content version (`/assets/<version>/`), nil when no app is served.
    public var appVersion: String? { staticFiles?.version }
}

/// A value behind a lock that escaping closures can share (a `Mutex` itself cannot be
/// captured), for state set once after start-up and read from any thread.
final class LockedBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func get() -> Value { value.withLock { $0 } }
    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
}
