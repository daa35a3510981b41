import Foundation
import Testing
@testable import Realtime

@Suite("File bodies: read on the I/O pool in pieces, never on the loop")
struct ServerFileBodyTests {
    @Test("A file body of many pieces arrives whole and in order; HEAD and an empty file send no body")
    func fileBodyArrivesWhole() async throws {
        let path = NSTemporaryDirectory() + "file-body-\(UUID().uuidString)"
        let empty = path + ".empty"
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: empty) }
        // Not a multiple of the 64 KiB piece, and every byte position distinguishable.
        let content = (0..<(5 * 65_536 + 1_234)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try Data(content).write(to: URL(fileURLWithPath: path))
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let router = Router()
        router.add(.get, "/file") { _, completion in
            completion(.success(HTTPResponse(status: .ok, body: .file(path: path, offset: 0, length: content.count))))
        }
        router.add(.head, "/file") { _, completion in
            completion(.success(HTTPResponse(status: .ok, body: .file(path: path, offset: 0, length: content.count))))
        }
        router.add(.get, "/empty") { _, completion in
            completion(.success(HTTPResponse(status: .ok, body: .file(path: empty, offset: 0, length: 0))))
        }
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            let (body, head, emptyBody, after) = await offPool { () -> ([UInt8]?, String?, String?, String?) in
                client.send("GET /file HTTP/1.1\r\nHost: x\r\n\r\n")
                let head = client.readResponseHead()
                let body = head.flatMap { _ in client.read(count: content.count) }
                client.send("HEAD /file HTTP/1.1\r\nHost: x\r\n\r\nGET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
                let headOnly = client.readResponseHead()
                let emptyResponse = client.readResponse()
                client.send("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
                return (body, headOnly, emptyResponse?.body, client.readResponse()?.head)
            }
            #expect(body == content)
            #expect(head?.contains("Content-Length: \(content.count)") == true)
            #expect(emptyBody == "")
            #expect(after?.hasPrefix("HTTP/1.1 200") == true)
        }
    }
}

extension TestClient {
    /// Reads a response head only (for HEAD answers and bodies read separately).
    func readResponseHead() -> String? {
        var head: [UInt8] = []
        while !head.ends(with: Array("\r\n\r\n".utf8)) {
            guard let byte = read(count: 1) else { return nil }
            head += byte
        }
        return String(decoding: head, as: UTF8.self)
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
