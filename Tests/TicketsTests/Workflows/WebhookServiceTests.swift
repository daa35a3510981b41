import Foundation
import Testing
@testable import Tickets

/// Webhooks: the signature a receiver recomputes, secrets shown once and rotated, and the
/// delivery bookkeeping (a 2xx delivers, the rest retried on the schedule, then failed).
@Suite("WebhookService")
struct WebhookServiceTests {
    private func service(_ fixture: Fixture) -> WebhookService {
        WebhookService(database: fixture.database, key: CredentialKey(bytes: Array(repeating: 9, count: 32)), now: fixture.clock.clock,
                       validateURL: { $0.hasPrefix("http") ? nil : "Use an http:// or https:// URL." })
    }

    @Test("the signature is sha256= and the hex HMAC-SHA256 of timestamp, a dot and the body")
    func signature() {
        #expect(WebhookService.signature(secret: "whsec_test", timestamp: 1_700_000_000, body: Array("{\"a\":1}".utf8))
            == "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789")
    }

    @Test("a secret is shown at creation, sealed at rest, and replaced by rotation")
    func secrets() async throws {
        let fixture = try Fixture()
        let hooks = service(fixture)
        let (hook, secret) = try await hooks.create(WebhookDraft(name: "CRM", url: "https://crm.test/hook"), by: .system)
        let stored = try await fixture.database.read { db in try db.first("SELECT secret FROM webhooks WHERE id = ?", [.integer(hook.id)])!.blob(0) }
        #expect(!String(decoding: stored, as: UTF8.self).contains(secret))
        let rotated = try await hooks.rotateSecret(hook.id, by: .system)
        #expect(rotated != secret && rotated.hasPrefix("whsec_"))
        try await fixture.database.write { db in
            try db.run("INSERT INTO webhook_deliveries (webhook_id, payload, state, next_attempt_at, created_at) VALUES (?, '{}', 'queued', 0, 0)",
                       [.integer(hook.id)])
        }
        #expect(try await hooks.due(now: fixture.clock.clock()).first?.secret == rotated)
        #expect(await domainError(.validation) { _ = try await hooks.create(WebhookDraft(name: "x", url: "ftp://x"), by: .system) }?.field == "url")
    }

    @Test("a 2xx delivers; other answers retry after 10 s, 1 min, 5 min, 30 min, 2 h and 6 h, then the delivery fails")
    func backoff() async throws {
        let fixture = try Fixture()
        let hooks = service(fixture)
        let (hook, _) = try await hooks.create(WebhookDraft(name: "CRM", url: "https://crm.test/hook"), by: .system)
        try await fixture.database.write { db in
            for _ in 0..<2 {
                try db.run("INSERT INTO webhook_deliveries (webhook_id, payload, state, next_attempt_at, created_at) VALUES (?, '{}', 'queued', 0, 0)",
                           [.integer(hook.id)])
            }
        }
        let ids = try await hooks.due(now: fixture.clock.clock()).map(\.id)
        try await hooks.recordAttempt(ids[0], at: fixture.clock.clock(), status: 204, error: nil, durationMs: 3)
        for delay in WebhookService.retryDelays {
            #expect(try await hooks.due(now: fixture.clock.clock()).map(\.id) == [ids[1]])
            try await hooks.recordAttempt(ids[1], at: fixture.clock.clock(), status: 503, error: "the receiver answered 503", durationMs: 5)
            #expect(try await hooks.due(now: fixture.clock.clock()).isEmpty)
            fixture.clock.advance(delay)
        }
        try await hooks.recordAttempt(ids[1], at: fixture.clock.clock(), status: nil, error: "timeout", durationMs: 10_000)
        let log = try await hooks.deliveries(of: hook.id, for: .system)
        #expect(log.map(\.state) == ["failed", "delivered"])
        #expect(log[0].attempts.count == WebhookService.retryDelays.count + 1 && log[1].attempts.map(\.status) == [204])
    }
}
