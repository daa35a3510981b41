import Foundation
import Realtime
import Tickets

/// The composition root: opens the services and builds the router (middleware, API,
/// operational routes, static files).
public final class HelpdeskApp: Sendable {
    public let router = Router()
    public let services: Services
    /// The SLA scheduler and its timer (loaded by `startSLA()`).
    let sla: SLARuntime
    private let staticFiles: StaticFiles?
    private let startedAt = Date()
    /// Server counters, once a server is attached (for `/metrics`).
    private let serverMetrics = LockedBox<ServerMetrics?>(nil)

    /// Builds every route over `services`. `setup` holds the first-run setup token, if any.
    /// `testClock` (tests and demos only) must be the clock `services` runs on; it adds
    /// `POST /api/test/clock`. `strictTransportSecurity` (the server speaks TLS itself) adds
    /// HSTS to every response.
    public init(services: Services, staticDirectory: String?, secureCookies: Bool = false, setup: SetupGate = SetupGate(token: nil),
                testClock: TestClock? = nil, strictTransportSecurity: Bool = false) {
        self.services = services
        sla = SLARuntime(services: services)
        // Assets revalidate (ETag) like HTML: unhashed ES modules must never mix versions.
        staticFiles = staticDirectory.map { StaticFiles(root: $0, cacheControl: .init(assets: "no-cache")) }
        if strictTransportSecurity { router.use(StrictTransportSecurityMiddleware()) }
        router.use(AccessLogMiddleware(clock: { Double(Instant.now().nanoseconds) / 1e9 }, write: { Log.info($0) }))
        router.use(ErrorMiddleware(log: { Log.error($0) }))
        router.use(AppShellMiddleware(staticFiles: staticFiles))
        addOperationalRoutes()
        let routes = APIRoutes(router: router, services: services, secureCookies: secureCookies)
        AccountsAPI.register(routes)
        SetupRoutes.register(routes, gate: setup)
        TicketsAPI.register(routes)
        NotificationsAPI.register(routes)
        SLAPoliciesAPI.register(routes, sla: sla)
        if let testClock {
            TestClockRoutes.register(routes, clock: testClock)
            testClock.onAdvance { [sla] in sla.timer.clockChanged() }
        }
        CannedResponsesAPI.register(routes)
        AssignmentRulesAPI.register(routes)
        addStaticRoutes()
    }

    /// The request handler to give the server (read once, after every route is added).
    public var handler: HTTPHandler { router.handler }

    /// Connects the app to `server`: `/metrics` reports its counters, and the live endpoint
    /// `/api/live` (presence, typing, ticket events) runs on its WebSockets and rooms.
    public func attach(to server: Server) {
        serverMetrics.set(server.metrics)
        let rooms: @Sendable () -> Rooms = { server.rooms }
        let log = RoomLog(startedAt: services.now())
        let presence = PresenceService(now: services.now, rooms: rooms)
        let hub = LiveHub(services: services, server: server, presence: presence, log: log)
        LiveEvents.start(services: services, log: log, rooms: rooms)
        let services = self.services
        sla.deliver { events in await LiveEvents.publishSLA(events, services: services, log: log, rooms: rooms) }
        server.webSocket("/api/live") { request, decide in hub.upgrade(request, decide: decide) }
        presence.start()
    }

    /// Loads the SLA deadlines and arms the timer; call once after `attach(to:)`, before the
    /// server accepts requests. Returns how many deadlines were loaded (and logs it).
    @discardableResult
    public func startSLA() async throws -> Int {
        try await sla.start()
    }

    private func addOperationalRoutes() {
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
        router.get("/metrics") { _ in
            var text = ""
            for (name, value) in serverMetrics.get()?.snapshot ?? [] {
                text += "# TYPE \(name) \(name.hasSuffix("_total") ? "counter" : "gauge")\n\(name) \(value)\n"
            }
            return .text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/api/openapi.json") { _ in .json(OpenAPIDocument.json) }
    }

    private func addStaticRoutes() {
        guard let staticFiles else { return }
        router.get("/") { request in
            staticFiles.response(for: request, path: "index.html") ?? HTTPResponse(status: .notFound)
        }
        router.get("/static/*path") { request in
            if let response = staticFiles.response(for: request, path: request.parameters["path"] ?? "") { return response }
            throw ProblemError.notFound("No such file.")
        }
    }

    /// The `static/` folder: in the working directory, or the package root in development.
    public static func locateStaticDirectory() -> String? {
        let candidates = [
            FileManager.default.currentDirectoryPath + "/static",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../static").standardized.path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
    }
}

/// A value behind a lock, for state set once after start-up and read from any thread.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&value) } }
}
