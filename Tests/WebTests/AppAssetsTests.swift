import Realtime
import Testing
@testable import Web

@Suite("AppAssets")
struct AppAssetsTests {
    let files: [String: [UInt8]] = [
        "index.html": Array(#"<link rel="stylesheet" href="/static/styles/base.css"><script type="module" src="/static/app/main.js"></script><p>/static/ in text stays</p>"#.utf8),
        "styles/base.css": Array("body{}".utf8),
        "app/main.js": Array("import './store.js';".utf8),
    ]

    func get(_ fields: [(String, String)] = []) -> HTTPRequest {
        HTTPRequest(head: HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: HTTPHeaders(fields)))
    }

    func text(_ response: HTTPResponse?) -> String? {
        guard case .bytes(let bytes) = response?.body else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test("HTML documents name their files under the content version, which is taken from the files as given")
    func htmlNamesTheVersion() throws {
        let assets = AppAssets(files: files, modifiedSeconds: 0)
        #expect(assets.version == StaticFiles.contentVersion(of: files))
        let shell = try #require(assets.response(for: get(), path: "index.html"))
        #expect(shell.headers["Cache-Control"] == "no-cache")
        #expect(text(shell) == #"<link rel="stylesheet" href="/assets/\#(assets.version)/styles/base.css">"#
            + #"<script type="module" src="/assets/\#(assets.version)/app/main.js"></script><p>/static/ in text stays</p>"#)
        #expect(text(assets.response(for: get(), path: "app/main.js")) == "import './store.js';")
    }

    @Test("The current version's files are immutable, HTML excepted; unversioned ones revalidate")
    func cachePolicies() {
        let assets = AppAssets(files: files, modifiedSeconds: 0)
        #expect(assets.response(for: get(), version: assets.version, path: "app/main.js")?.headers["Cache-Control"]
            == "public, max-age=31536000, immutable")
        #expect(assets.response(for: get(), version: assets.version, path: "index.html")?.headers["Cache-Control"] == "no-cache")
        #expect(assets.response(for: get(), path: "app/main.js")?.headers["Cache-Control"] == "no-cache")
        #expect(assets.response(for: get(), version: assets.version, path: "app/missing.js") == nil)
        #expect(assets.response(for: get(), version: assets.version, path: "../index.html") == nil)
    }

    @Test("Another version is a 404 that no cache may keep, even for a file that exists")
    func anotherVersion() {
        let assets = AppAssets(files: files, modifiedSeconds: 0)
        let old = assets.response(for: get(), version: "0123456789abcdef", path: "app/main.js")
        #expect(old?.status == .notFound)
        #expect(old?.headers["Cache-Control"] == "no-store")
        #expect(old?.headers["Content-Type"] == "application/problem+json")
    }
}
