import Testing
@testable import Realtime

@Suite("StaticFiles in memory")
struct StaticFilesMemoryTests {
    let files: [String: [UInt8]] = [
        "index.html": Array("<!doctype html><title>Help desk</title>".utf8),
        "app/main.js": Array(String(repeating: "export const answer = 42;\n", count: 100).utf8),
    ]

    @Test("Files are served from memory with content ETags, and a per-answer cache policy replaces the default")
    func servesWithACachePolicyPerAnswer() throws {
        let served = StaticFiles(files: files, modifiedSeconds: 0, cacheControl: .init(assets: "no-cache"))
        let plain = try #require(served.response(for: request(), path: "app/main.js"))
        #expect(plain.headers["Cache-Control"] == "no-cache")
        let forever = StaticFiles.CachePolicy(html: "no-cache", assets: "public, max-age=31536000, immutable")
        let versioned = try #require(served.response(for: request(), path: "app/main.js", cachePolicy: forever))
        #expect(versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable")
        #expect(versioned.headers["ETag"] == plain.headers["ETag"])
        #expect(served.response(for: request(), path: "index.html", cachePolicy: forever)?.headers["Cache-Control"] == "no-cache")
        let etag = try #require(plain.headers["ETag"])
        let revalidated = served.response(for: request(.get, [("If-None-Match", etag)]), path: "app/main.js", cachePolicy: forever)
        #expect(revalidated?.status == .notModified && revalidated?.headers["Cache-Control"] == forever.assets)
        #expect(served.response(for: request(), path: "../app/main.js") == nil)
    }

    @Test("The content version is 16 hex digits, the same for the same files and another for any changed path or byte")
    func contentVersion() {
        let version = StaticFiles.contentVersion(of: files)
        #expect(version.count == 16 && version.allSatisfy(\.isHexDigit))
        #expect(StaticFiles.contentVersion(of: files) == version)
        var changed = files
        changed["app/main.js"]?[0] ^= 1
        #expect(StaticFiles.contentVersion(of: changed) != version)
        var renamed = files
        renamed["app/other.js"] = renamed.removeValue(forKey: "app/main.js")
        #expect(StaticFiles.contentVersion(of: renamed) != version)
        var added = files
        added["empty.txt"] = []
        #expect(StaticFiles.contentVersion(of: added) != version)
        // Lengths are hashed too: a path and bytes that concatenate alike are another set.
        #expect(StaticFiles.contentVersion(of: ["ab": Array("c".utf8)]) != StaticFiles.contentVersion(of: ["a": Array("bc".utf8)]))
    }
}
