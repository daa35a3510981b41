import Foundation
import Mail
import Tickets

/// Delivers webhook calls on a thread of its own: every `pollSeconds` it takes the due
/// deliveries and POSTs each (JSON body; `X-Helpdesk-Timestamp` and
/// `X-Helpdesk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>`), then
/// records the attempt: a 2xx delivers, anything else (a status, a timeout, a refused
/// address) is retried after 10 s, 1 min, 5 min, 30 min, 2 h and 6 h, then fails. Times come
/// from the injected clock, so a test moves a retry forward with the test clock.
final class WebhookSender: @unchecked Sendable {
    /// How often due deliveries are looked for: a call leaves within about this long.
    static let pollSeconds = 1.0

    private let services: Services
    private let client: HTTPPostClient
    private let stop = NSCondition()
    private var stopped = false
    private var started = false
    private let finished = DispatchSemaphore(value: 0)

    init(services: Services, client: HTTPPostClient = HTTPPostClient()) {
        self.services = services
        self.client = client
    }

    func start() {
        stop.withLock { started = true }
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "webhook-sender"
        thread.start()
    }

    /// Stops after the call in progress (at most the client's timeouts), waiting up to `timeoutSeconds`.
    func shutdown(timeoutSeconds: Double = 30) {
        let wasStarted = stop.withLock {
            stopped = true
            stop.broadcast()
            return started
        }
        if wasStarted { _ = finished.wait(timeout: .now() + timeoutSeconds) }
    }

    private var isStopped: Bool { stop.withLock { stopped } }

    private func run() {
        while !isStopped {
            do {
                let due = try Blocking.run { [services] in try await services.webhooks.due(now: services.now()) }
                for delivery in due where !isStopped { send(delivery) }
            } catch {
                Log.error("webhooks: cannot read the deliveries: \(error)")
            }
            let deadline = Date().addingTimeInterval(Self.pollSeconds)
            stop.withLock { while !stopped, stop.wait(until: deadline) {} }
        }
    }

    private func send(_ delivery: DueWebhookDelivery) {
        let at = services.now()
        let timestamp = Int64(at.timeIntervalSince1970)
        let body = Array(delivery.payload.utf8)
        let headers = [
            ("Content-Type", "application/json"), ("User-Agent", "helpdesk-webhooks/1"),
            ("X-Helpdesk-Delivery", String(delivery.id)), ("X-Helpdesk-Timestamp", String(timestamp)),
            ("X-Helpdesk-Signature", WebhookService.signature(secret: delivery.secret, timestamp: timestamp, body: body)),
        ]
        let started = ContinuousClock.now
        var answered: Int?
        var failure: String?
        do {
            answered = try client.post(url: delivery.url, headers: headers, body: body).status
            if let answered, !(200..<300).contains(answered) { failure = "the receiver answered \(answered)" }
        } catch let refused as HTTPPostClient.Failure {
            failure = refused.description
        } catch {
            failure = "\(error)"
        }
        let status = answered, error = failure
        let elapsed = ContinuousClock.now - started
        let ms = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        if let error { Log.info("webhooks: delivery \(delivery.id) attempt \(delivery.attempts + 1) failed: \(error)") }
        do {
            try Blocking.run { [services] in
                try await services.webhooks.recordAttempt(delivery.id, at: services.now(), status: status, error: error, durationMs: ms)
            }
        } catch {
            Log.error("webhooks: cannot record delivery \(delivery.id): \(error)")
        }
    }
}
