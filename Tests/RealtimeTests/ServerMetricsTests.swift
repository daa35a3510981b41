import Foundation
import Testing
@testable import Realtime

@Suite("ServerMetrics: the counters behind /metrics count what they claim")
struct ServerMetricsTests {
    @Test("Every request dispatched is counted (the counter read 0 before)")
    func requestsAreCounted() async throws {
        let router = Router()
        router.get("/a") { _ in .text("a") }
        try await withServer(router: router) { server in
            let client = try TestClient(port: server.port)
            let answered = await offPool { () -> Int in
                var answered = 0
                for _ in 0..<3 {
                    client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
                    if client.readResponse()?.body == "a" { answered += 1 }
                }
                return answered
            }
            #expect(answered == 3)
            #expect(server.metrics.value("realtime_http_requests_total") == 3)
        }
    }

    @Test("Loop iterations are timed: a histogram over all loops and each loop's longest")
    func iterationsAreTimed() async throws {
        let router = Router()
        router.get("/a") { _ in .text("a") }
        try await withServer({ $0.loopCount = 2 }, router: router) { server in
            let client = try TestClient(port: server.port)
            let body = await offPool { () -> String? in
                client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
                return client.readResponse()?.body
            }
            #expect(body == "a")
            let text = server.metrics.prometheusText
            #expect(text.contains("# TYPE realtime_loop_iteration_seconds histogram\n"))
            #expect(text.contains("realtime_loop_iteration_max_seconds{loop=\"1\"}"))
            let count = text.split(separator: "\n").first { $0.hasPrefix("realtime_loop_iteration_seconds_count ") }
                .flatMap { Int($0.split(separator: " ")[1]) }
            #expect((count ?? 0) > 0)
            let infinity = text.split(separator: "\n").first { $0.hasPrefix("realtime_loop_iteration_seconds_bucket{le=\"+Inf\"} ") }
                .flatMap { Int($0.split(separator: " ")[1]) }
            #expect(infinity == count)
            #expect(text.contains("# TYPE realtime_log_lines_dropped_total counter\n"))
        }
    }
}
