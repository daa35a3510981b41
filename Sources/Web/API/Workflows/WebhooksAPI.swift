import Foundation
import Realtime
import Tickets

/// Webhooks and their delivery log: every route needs `workflow.manage`. The secret appears
/// in the answer to creation and rotation only.
enum WebhooksAPI {
    private struct WebhookJSON: Encodable {
        let id: Int64, name: String, url: String, enabled: Bool, createdAt: Date, updatedAt: Date
        var secret: String?

        init(_ w: Webhook, secret: String? = nil) {
            id = w.id; name = w.name; url = w.url; enabled = w.enabled; createdAt = w.createdAt; updatedAt = w.updatedAt
            self.secret = secret
        }
    }

    private struct ListJSON: Encodable { let webhooks: [WebhookJSON] }
    private struct SecretJSON: Encodable { let secret: String }

    private struct DeliveryJSON: Encodable {
        struct Attempt: Encodable { let at: Date; let status: Int?; let error: String?; let durationMs: Int }
        let id: Int64, webhookId: Int64, eventId: Int64?, state: String, attempts: [Attempt], nextAttemptAt: Date?
        let createdAt: Date, deliveredAt: Date?, payload: String

        init(_ d: WebhookDelivery) {
            id = d.id; webhookId = d.webhookID; eventId = d.eventID; state = d.state
            attempts = d.attempts.map { Attempt(at: $0.at, status: $0.status, error: $0.error, durationMs: $0.durationMs) }
            nextAttemptAt = d.nextAttemptAt; createdAt = d.createdAt; deliveredAt = d.deliveredAt; payload = d.payload
        }
    }

    private struct DeliveriesJSON: Encodable { let deliveries: [DeliveryJSON] }

    static func register(_ routes: APIRoutes) {
        let webhooks = routes.services.webhooks
        routes.api(.get, "/api/webhooks", permission: .workflowManage) { request in
            try JSONBody.response(ListJSON(webhooks: try await webhooks.webhooks(for: request.actor).map { WebhookJSON($0) }))
        }
        routes.api(.post, "/api/webhooks", permission: .workflowManage) { request in
            let (created, secret) = try await webhooks.create(try request.decode(WebhookDraft.self), by: request.actor)
            var response = try JSONBody.response(WebhookJSON(created, secret: secret), status: .created)
            response.headers.set("Location", "/api/webhooks/\(created.id)")
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        routes.api(.patch, "/api/webhooks/:id", permission: .workflowManage) { request in
            let updated = try await webhooks.update(try request.id("id"), try request.decode(WebhookDraft.self), by: request.actor)
            return try JSONBody.response(WebhookJSON(updated))
        }
        routes.api(.delete, "/api/webhooks/:id", permission: .workflowManage) { request in
            try await webhooks.delete(try request.id("id"), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
        routes.api(.post, "/api/webhooks/:id/rotate-secret", permission: .workflowManage) { request in
            var response = try JSONBody.response(SecretJSON(secret: try await webhooks.rotateSecret(try request.id("id"), by: request.actor)))
            response.headers.set("Cache-Control", "no-store")
            return response
        }
        routes.api(.get, "/api/webhooks/:id/deliveries", permission: .workflowManage) { request in
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: 50, max: 200)
            let list = try await webhooks.deliveries(of: try request.id("id"), limit: limit, for: request.actor)
            return try JSONBody.response(DeliveriesJSON(deliveries: list.map(DeliveryJSON.init)))
        }
    }
}
