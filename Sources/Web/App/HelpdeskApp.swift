import Foundation
import Realtime

/// The composition root: builds the router (middleware, operational routes, static files).
public final class HelpdeskApp: Sendable {
    public let router = Router()
    private let staticFiles: StaticFiles?
    private let startedAt = Date()

    /// Opens (creating if needed) the data in `dataDirectory` and builds every route.
    public init(dataDirectory: String, staticDirectory: String?) throws {
        staticFiles = staticDirectory.map { StaticFiles(root: $0) }
        router.use(AccessLogMiddleware(clock: { Double(Instant.now().nanoseconds) / 1e9 }, write: { Log.info($0) }))
        router.use(ErrorMiddleware(log: { Log.error($0) }))
        addOperationalRoutes()
        addStaticRoutes()
    }

    /// The request handler to give the server.
    public var handler: HTTPHandler { router.handler }

    private func addOperationalRoutes() {
        let startedAt = self.startedAt
        router.get("/healthz") { _ in
            let uptime = Int(Date().timeIntervalSince(startedAt))
            return .json(Array(#"{"status":"ok","uptimeSeconds":\#(uptime)}"#.utf8))
        }
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

    /// The `static/` folder: next to the working directory, or the package root in development.
    public static func locateStaticDirectory() -> String? {
        let candidates = [
            FileManager.default.currentDirectoryPath + "/static",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../static").standardized.path,
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") }
    }
}
