import Foundation
import Testing
@testable import Realtime

/// A temporary folder: `outside/secret.txt` next to the served `root/`.
struct StaticFixture {
    let base: String
    var root: String { base + "/root" }
    let appJS = String(repeating: "export const answer = 42;\n", count: 100)

    init() throws {
        base = NSTemporaryDirectory() + "static-\(UUID().uuidString)"
        let fm = FileManager.default
        try fm.createDirectory(atPath: base + "/root/js", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: base + "/outside", withIntermediateDirectories: true)
        try "<!doctype html><title>Help desk</title>".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try appJS.write(toFile: root + "/js/app.js", atomically: true, encoding: .utf8)
        try "body{}".write(toFile: root + "/style.css", atomically: true, encoding: .utf8)
        try Data(Gzip.compress(Array("body{}".utf8))).write(to: URL(fileURLWithPath: root + "/style.css.gz"))
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: root + "/logo.png"))
        try "secret".write(toFile: base + "/outside/secret.txt", atomically: true, encoding: .utf8)
        try "hidden".write(toFile: root + "/.env", atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(atPath: root + "/escape", withDestinationPath: base + "/outside")
        try fm.createSymbolicLink(atPath: root + "/link.txt", withDestinationPath: base + "/outside/secret.txt")
        try fm.createSymbolicLink(atPath: root + "/home.html", withDestinationPath: root + "/index.html")
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}

func request(_ method: HTTPMethod = .get, _ fields: [(String, String)] = []) -> HTTPRequest {
    HTTPRequest(head: HTTPRequestHead(method: method, target: "/", version: .http1_1, headers: HTTPHeaders(fields)))
}

@Suite("StaticFiles")
struct StaticFilesTests {
    @Test("Files are served by path with type, validators, caching and nosniff")
    func serves() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let files = StaticFiles(root: fixture.root)
        let html = try #require(files.response(for: request(), path: "index.html"))
        #expect(html.status == .ok)
        #expect(html.headers["Content-Type"] == "text/html; charset=utf-8")
        #expect(html.headers["Cache-Control"] == "no-cache")
        #expect(html.headers["X-Content-Type-Options"] == "nosniff")
        #expect(html.headers["ETag"]?.hasPrefix("W/\"") == true)
        #expect(html.headers["Last-Modified"]?.hasSuffix(" GMT") == true)
        guard case .file(let path, 0, let length) = html.body else { Issue.record("not a file body"); return }
        #expect(path.hasSuffix("/root/index.html") && length == 39)
        let png = try #require(files.response(for: request(), path: "/logo.png"))
        #expect(png.headers["Content-Type"] == "image/png")
        #expect(png.headers["Cache-Control"] == "public, max-age=3600")
        #expect(png.headers["Vary"] == nil)
        #expect(files.response(for: request(), path: "js/app.js")?.headers["Content-Type"] == "text/javascript; charset=utf-8")
        #expect(files.response(for: request(), path: "home.html")?.status == .ok)
        #expect(files.response(for: request(), path: "missing.html") == nil)
        #expect(files.response(for: request(), path: "js") == nil)
    }

    @Test("If-None-Match with the ETag gives 304; a stale one gives 200")
    func notModified() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let files = StaticFiles(root: fixture.root)
        let etag = try #require(files.response(for: request(), path: "index.html")?.headers["ETag"])
        let cached = try #require(files.response(for: request(.get, [("If-None-Match", "\"x\", \(etag)")]), path: "index.html"))
        #expect(cached.status == .notModified && cached.headers["ETag"] == etag)
        guard case .empty = cached.body else { Issue.record("304 with a body"); return }
        #expect(files.response(for: request(.get, [("If-None-Match", "W/\"stale\"")]), path: "index.html")?.status == .ok)
        #expect(files.response(for: request(.get, [("If-None-Match", "*")]), path: "index.html")?.status == .notModified)
    }

    @Test("Compressible files are gzipped at start-up and served so when accepted, with Vary")
    func startUpGzip() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let files = StaticFiles(root: fixture.root)
        let accepted = request(.get, [("Accept-Encoding", "gzip, br")])
        let first = try #require(files.response(for: accepted, path: "js/app.js"))
        #expect(first.headers["Content-Encoding"] == "gzip" && first.headers["Vary"] == "Accept-Encoding")
        guard case .bytes(let bytes) = first.body else { Issue.record("not gzipped bytes"); return }
        #expect(try Gzip.decompress(bytes, limit: 1 << 20) == Array(fixture.appJS.utf8))
        guard case .bytes(let again)? = files.response(for: accepted, path: "js/app.js")?.body else { Issue.record("not cached"); return }
        #expect(again == bytes)
        let plain = try #require(files.response(for: request(.get, [("Accept-Encoding", "gzip;q=0")]), path: "js/app.js"))
        #expect(plain.headers["Content-Encoding"] == nil && plain.headers["Vary"] == "Accept-Encoding")
    }

    @Test("A file changed after start-up is served uncompressed, never compressed on the request path")
    func changedFileIsNotCompressedOnRequest() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let files = StaticFiles(root: fixture.root)
        #expect(files.precompressed.count == 1)  // js/app.js; style.css has its .gz, index.html is too small
        try (fixture.appJS + "// changed\n").write(toFile: fixture.root + "/js/app.js", atomically: true, encoding: .utf8)
        let response = try #require(files.response(for: request(.get, [("Accept-Encoding", "gzip")]), path: "js/app.js"))
        #expect(response.headers["Content-Encoding"] == nil)
        guard case .file = response.body else { Issue.record("not a file body"); return }
    }

    @Test("A precompressed .gz sibling is served when gzip is accepted")
    func precompressed() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let response = try #require(StaticFiles(root: fixture.root).response(for: request(.get, [("Accept-Encoding", "gzip")]), path: "style.css"))
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(response.headers["Content-Type"] == "text/css; charset=utf-8")
        guard case .file(let path, _, _) = response.body else { Issue.record("not a file"); return }
        #expect(path.hasSuffix("style.css.gz"))
    }

    @Test("Traversal, encoded traversal, backslashes, NUL, absolute paths, dotfiles and outward symlinks are refused")
    func traversal() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let files = StaticFiles(root: fixture.root)
        let attempts = [
            "/../etc/passwd", "../outside/secret.txt", "%2e%2e/outside/secret.txt", "..%2foutside%2fsecret.txt",
            "js/../../outside/secret.txt", "%2E%2E%2Foutside/secret.txt", "..\\outside\\secret.txt", "js%5c..%5c..%5coutside",
            "index.html%00.png", "index.html\u{0}", "//etc/passwd", "/etc/passwd/", fixture.base + "/outside/secret.txt",
            "escape/secret.txt", "link.txt", ".env", "js/./app.js", "js//app.js", "", "/", "%zz",
            "%252e%252e/outside/secret.txt",
        ]
        for attempt in attempts {
            #expect(files.response(for: request(), path: attempt) == nil, "\(attempt)")
        }
    }

    @Test("Only GET and HEAD are served")
    func methods() throws {
        let fixture = try StaticFixture()
        defer { fixture.remove() }
        let files = StaticFiles(root: fixture.root)
        #expect(files.response(for: request(.head), path: "index.html")?.status == .ok)
        let post = files.response(for: request(.post), path: "index.html")
        #expect(post?.status == .methodNotAllowed && post?.headers["Allow"] == "GET, HEAD")
    }

    @Test("A missing root serves nothing")
    func missingRoot() {
        #expect(StaticFiles(root: "/nonexistent-\(UUID().uuidString)").response(for: request(), path: "index.html") == nil)
    }
}
