import Foundation
import Testing
@testable import Realtime

@Suite("Server: request bodies and TLS edge cases over real loopback sockets")
struct ServerBodyAndTLSTests {
    private func tlsConfiguration(_ certs: TestCertificates) throws -> TLSConfiguration {
        try certs.make("server", serial: "0x42")
        return TLSConfiguration(certificateChainPath: certs.path("server.pem"), privateKeyPath: certs.path("server.key"))
    }

    @Test("A TLS handshake that does not finish within the header timeout is closed")
    func unfinishedHandshakeIsClosed() async throws {
        let certs = try TestCertificates()
        let tls = try tlsConfiguration(certs)
        try await withServer({ $0.tls = tls; $0.headerReadTimeoutSeconds = 0.5 }, router: Router()) { server in
            let client = try TestClient(port: server.port)
            client.send([0x16, 0x03, 0x01])  // the first bytes of a ClientHello, then silence
            #expect(await offPool { client.waitForClose() })
        }
    }

    @Test("Cleartext HTTP on the TLS port gets a plain 400 naming https, is closed and counted")
    func cleartextOnTheTLSPortIsRefused() async throws {
        let certs = try TestCertificates()
        let tls = try tlsConfiguration(certs)
        try await withServer({ $0.tls = tls }, router: Router()) { server in
            let client = try TestClient(port: server.port)
            client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = await offPool { client.readResponse() }
            #expect(response?.head.hasPrefix("HTTP/1.1 400 Bad Request") == true)
            #expect(response?.body.contains("https://") == true)
            #expect(await offPool { client.waitForClose() })
            let failures = server.metrics.snapshot.first { $0.name == "realtime_tls_failures_total" }?.value
            #expect(failures == 1)
        }
    }

    @Test("A body arriving slower than the minimum rate is answered 408 and the connection closed")
    func slowBodyIsCut() async throws {
        let router = Router()
        router.post("/upload") { _ in HTTPResponse(status: .noContent) }
        try await withServer({ $0.bodyReadTimeoutSeconds = 0.5 }, router: router) { server in
            let client = try TestClient(port: server.port)
            client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nx")
            let response = await offPool { client.readResponse() }
            #expect(response?.head.hasPrefix("HTTP/1.1 408") == true)
            #expect(response?.body.contains("too slowly") == true)
            #expect(await offPool { client.waitForClose() })
        }
    }

    @Test("A large body reaches a file-taking route as a file and other routes in memory")
    func largeBodiesAreSpooled() async throws {
        let router = Router()
        router.post("/file") { request in
            let file = try #require(request.bodyFile)
            #expect(request.body.isEmpty)
            return .text("file \(file.count) \(try file.read(file.count - 3..<file.count) == Array("end".utf8))")
        }
        router.post("/memory") { request in
            .text("memory \(request.body.count) \(request.bodyFile == nil) \(request.body.suffix(3) == Array("end".utf8))")
        }
        let body = String(repeating: "x", count: 300_000) + "end"
        try await withServer({ $0.bodySpoolThresholdBytes = 64 * 1024 }, router: router,
                             prepare: { $0.bodyPolicy = { head in HTTPBodyPolicy(maxBytes: 1 << 20, acceptsFile: head.target == "/file") } }) { server in
            let client = try TestClient(port: server.port)
            for path in ["/file", "/memory"] {
                client.send("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
            }
            let first = await offPool { client.readResponse() }
            let second = await offPool { client.readResponse() }
            #expect(first?.body == "file 300003 true")
            #expect(second?.body == "memory 300003 true true")
            #expect(server.bodyBudget.memoryBytes == 0)
        }
    }

    @Test("A declared length past the route's limit is answered 413 before the body is read")
    func overLimitBodyIsRefusedAtTheHead() async throws {
        try await withServer(router: Router(), prepare: { $0.bodyPolicy = { _ in HTTPBodyPolicy(maxBytes: 1000) } }) { server in
            let client = try TestClient(port: server.port)
            client.send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1001\r\nExpect: 100-continue\r\n\r\n")
            let response = await offPool { client.readResponse() }
            #expect(response?.head.hasPrefix("HTTP/1.1 413") == true)
        }
    }
}
