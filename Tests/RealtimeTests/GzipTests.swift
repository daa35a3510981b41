import Testing
@testable import Realtime

@Suite("Gzip")
struct GzipTests {
    @Test("Compressed bytes decompress to the original and carry the gzip magic")
    func roundTrip() throws {
        let text = Array(String(repeating: "help desk ticket ", count: 500).utf8)
        let compressed = Gzip.compress(text)
        #expect(compressed.count < text.count / 10)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(try Gzip.decompress(compressed, limit: 1 << 20) == text)
        #expect(try Gzip.decompress(Gzip.compress([]), limit: 10) == [])
    }

    @Test("Decompression stops at the limit and refuses garbage")
    func decompressLimits() {
        let compressed = Gzip.compress([UInt8](repeating: 0, count: 100_000))
        #expect(throws: Gzip.DecompressError.tooLarge) { try Gzip.decompress(compressed, limit: 1000) }
        #expect(throws: Gzip.DecompressError.corrupt) { try Gzip.decompress([1, 2, 3, 4], limit: 1000) }
        #expect(throws: Gzip.DecompressError.corrupt) { try Gzip.decompress(Array(compressed.prefix(20)), limit: 1 << 20) }
    }

    @Test("Accept-Encoding honours q-values and the * wildcard (RFC 9110 section 12.5.3)")
    func acceptEncoding() {
        func accepts(_ value: String?) -> Bool {
            Gzip.acceptsGzip(HTTPHeaders(value.map { [("Accept-Encoding", $0)] } ?? []))
        }
        #expect(accepts("gzip"))
        #expect(accepts("br, GZIP;q=0.5"))
        #expect(accepts("deflate, gzip ; q=1.0"))
        #expect(!accepts("gzip;q=0"))
        #expect(!accepts("gzip;q=0.000, *"))
        #expect(accepts("*"))
        #expect(!accepts("*;q=0"))
        #expect(!accepts("br, deflate"))
        #expect(!accepts("identity"))
        #expect(!accepts(nil))
        #expect(!accepts("gzip;q=abc"))
    }

    @Test("Text-like types are compressible, images and archives are not")
    func compressibleTypes() {
        for type in ["text/html; charset=utf-8", "text/css", "application/json", "application/problem+json",
                     "text/javascript", "application/javascript", "image/svg+xml", "application/xml", "TEXT/CSV"] {
            #expect(Gzip.isCompressible(contentType: type), "\(type)")
        }
        for type in ["image/png", "image/jpeg", "application/zip", "application/gzip", "font/woff2", "application/pdf", "application/octet-stream"] {
            #expect(!Gzip.isCompressible(contentType: type), "\(type)")
        }
    }

    @Test("Only in-memory compressible bodies of 1 KiB or more are compressed")
    func compressIfWorthwhile() throws {
        let request = HTTPRequestHead(method: .get, target: "/", version: .http1_1, headers: HTTPHeaders([("Accept-Encoding", "gzip")]))
        let big = String(repeating: "{\"a\":1}", count: 300)
        let compressed = Gzip.compressIfWorthwhile(.json(Array(big.utf8)), for: request)
        #expect(compressed.headers["Content-Encoding"] == "gzip" && compressed.headers["Vary"] == "Accept-Encoding")
        guard case .bytes(let bytes) = compressed.body else { Issue.record("not bytes"); return }
        #expect(try Gzip.decompress(bytes, limit: 1 << 20) == Array(big.utf8))
        let small = Gzip.compressIfWorthwhile(.json(Array("{}".utf8)), for: request)
        #expect(small.headers["Content-Encoding"] == nil)
        var png = HTTPResponse(body: .bytes([UInt8](repeating: 0, count: 4096)))
        png.headers.add("Content-Type", "image/png")
        #expect(Gzip.compressIfWorthwhile(png, for: request).headers["Content-Encoding"] == nil)
    }
}

@Suite("CompressionMiddleware")
struct CompressionMiddlewareTests {
    @Test("Large JSON responses are gzipped for clients that accept it")
    func compresses() async throws {
        let router = Router()
        router.use(CompressionMiddleware())
        let json = String(repeating: "[1,2,3]", count: 400)
        router.get("/big") { _ in .json(Array(json.utf8)) }
        let gzipped = try #require(response(await run(router.handler, .get, "/big", [("Accept-Encoding", "gzip")])))
        #expect(gzipped.headers["Content-Encoding"] == "gzip")
        let plain = try #require(response(await run(router.handler, .get, "/big")))
        #expect(plain.headers["Content-Encoding"] == nil && bodyText(plain) == json)
    }
}
