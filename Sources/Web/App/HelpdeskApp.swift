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
    /// The SLA scheduler and its timer, a consumer of the event log (loaded by `start()`).
    let sla: SLARuntime
    /// Reads the event log and feeds every consumer (started by `start()`).
    let relay: EventRelay
    /// The live rooms' consumer, once a server is attached.
    private let live = LockedBox<LiveEvents?>(nil)
    /// Who views and types where, once a server is attached (tests sweep it on their clock).
    let presence = LockedBox<PresenceService?>(nil)
    /// The periodic chores (started by `start()`).
    let maintenance: Maintenance
    /// The workflows: a consumer of the event log, and a schedule for time triggers.
    let workflows: WorkflowRunner
    private let workflowSchedule: WorkflowSchedule
    private let webhookSender: WebhookSender
    private let consumerNames = LockedBox<[String]>([])
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
        sla = SLARuntime(services: services)
        let relay = EventRelay(database: services.database, now: services.now, log: { Log.error($0) })
        self.relay = relay
        let names = consumerNames
        maintenance = Maintenance(services: services, consumers: { names.get() }, eventRetention: Double(eventRetentionDays) * 86_400)
        workflows = WorkflowRunner(database: services.database, tokenKey: services.mailboxes.credentialKey, now: services.now,
                                   makeMessageID: { MessageBuilder.newMessageID(domain: $0) })
        workflowSchedule = WorkflowSchedule(runner: workflows)
        webhookSender = WebhookSender(services: services)
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
        let slaName = sla.name
        SLAPoliciesAPI.register(routes) { position in
            var target = position
            if target == nil { target = try? await relay.head() }
            guard let target else { return }
            await relay.waitUntil(slaName, reaches: target)
        }
        if let testClock {
            TestClockRoutes.register(routes, clock: testClock)
            testClock.onAdvance { [sla, workflowSchedule] in
                sla.timer.clockChanged()
                workflowSchedule.poke()
            }
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
    /// the other nodes of the desk over `bus` (nil: a node alone, `SoloNode`).
    public func attach(to server: Server, bus: (any NodeBus)? = nil) {
        serverMetrics.set(server.metrics)
        let rooms: @Sendable () -> Rooms = { server.rooms }
        let log = RoomLog()
        let presence = PresenceService(now: services.now, rooms: rooms, bus: bus ?? SoloNode(nodeID: UUID().uuidString))
        let hub = LiveHub(services: services, server: server, presence: presence, log: log)
        let portal = PortalLive(services: services, throttle: portalThrottle, proxies: trustedProxies, rooms: rooms)
        live.set(LiveEvents(services: services, log: log, rooms: rooms, portal: portal, onAccessChange: { hub.accessChanged($0) }))
        server.webSocket("/api/live") { request, decide in hub.upgrade(request, decide: decide) }
        server.webSocket("/api/portal/live") { request, decide in portal.upgrade(request, decide: decide) }
        presence.start()
        self.presence.set(presence)
    }

    /// Loads the SLA deadlines and arms the timer, refills the live replay buffers from the
    /// event log, starts the relay that feeds every consumer, and the periodic chores. Call
    /// once after `attach(to:)` and after the server started (the live consumer broadcasts
    /// through its loops). Changes committed before are in the log: each consumer starts
    /// from its cursor, the SLA consumer only after the deadlines are loaded. Returns how many
    /// SLA deadlines were loaded (and logs it).
    @discardableResult
    public func start() async throws -> Int {
        let deadlines = try await sla.start()
        let outbox = EmailOutboxConsumer(database: services.database, tokenKey: services.mailboxes.credentialKey,
                                         makeMessageID: { MessageBuilder.newMessageID(domain: $0) })
        var consumers: [any EventConsumer] = [NotificationConsumer(database: services.database), sla, outbox,
                                              SurveyConsumer(surveys: services.surveys), ReportRollupConsumer(database: services.database),
                                              workflows]
        var positions: [String: Int64] = [:]
        if let live = live.get() {
            // Nobody is subscribed yet: what the log holds goes to the replay buffers, and the
            // live consumer starts after it (an event is never broadcast twice after a crash).
            let position = try await services.database.eventLogHead()
            positions[live.name] = position
            let warmed = try await live.warm(upTo: position, limit: Self.replayEventsAtStart)
            if warmed > 0 { Log.info("live rooms: \(warmed) events reloaded for resuming") }
            consumers.insert(live, at: 0)
        }
        consumerNames.set(consumers.map(\.name))
        try await relay.start(consumers, positions: positions)
        maintenance.start()
        workflowSchedule.start()
        webhookSender.start()
        return deadlines
    }

    /// Stops the relay after the batches in hand (tests; the process ends otherwise).
    public func stop() async {
        maintenance.stop()
        workflowSchedule.stop()
        webhookSender.shutdown()
        await relay.stop()
    }

    /// The newest events loaded back into the live replay buffers at start-up.
    static let replayEventsAtStart = 5_000

    private func addOperationalRoutes(_ security: SecurityOptions) {
        let startedAt = self.startedAt
        let database = services.database
        router.get("/healthz", async: { _ in
            do {
                _ = try await database.appliedMigrations()
            } catch {
                throw ProblemError(status: .serviceUnavailable, detail: "The database does not answer.")
            }
            let uptime = Int(Date().timeIntervalSince(startedAt))
            return .json(Array(#"{"status":"ok","uptimeSeconds":\#(uptime)}"#.utf8))
        })
        let serverMetrics = self.serverMetrics
        let relay = self.relay, maintenance = self.maintenance, presence = self.presence
        router.get("/metrics", async: { request in
            guard security.mayReadMetrics(request) else {
                var refusal = ProblemDetails.response(status: .unauthorized, detail: "Send Authorization: Bearer <metrics token>.")
                refusal.headers.set("WWW-Authenticate", "Bearer")
                return refusal
            }
            var lines: [(String, Int)] = []
            let head = (try? await relay.head()) ?? 0
            lines.append(("helpdesk_event_log_head", Int(head)))
            for (name, progress) in relay.progress.sorted(by: { $0.key < $1.key }) {
                lines.append(("helpdesk_event_consumer_position{consumer=\"\(name)\"}", Int(progress.position)))
                lines.append(("helpdesk_event_consumer_lag{consumer=\"\(name)\"}", Int(max(0, head - progress.position))))
                lines.append(("helpdesk_event_consumer_delivered_total{consumer=\"\(name)\"}", progress.delivered))
                lines.append(("helpdesk_event_consumer_failures_total{consumer=\"\(name)\"}", progress.failures))
                lines.append(("helpdesk_event_consumer_unreadable_total{consumer=\"\(name)\"}", progress.unreadable))
            }
            lines += maintenance.metrics
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
