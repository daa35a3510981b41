import Foundation

/// `webhooks`, `webhook_deliveries` and `webhook_attempts` rows on the caller's connection.
/// Secrets are stored sealed; only `due` reads them.
enum WebhookRecord {
    private static let columns = "id, name, url, enabled, created_at, updated_at"

    /// Every webhook by name, then id.
    static func all(_ db: Connection) throws -> [Webhook] {
        try db.query("SELECT \(columns) FROM webhooks ORDER BY name, id").map(webhook)
    }

    /// Webhook `id`, or nil.
    static func find(_ id: Int64, _ db: Connection) throws -> Webhook? {
        try db.first("SELECT \(columns) FROM webhooks WHERE id = ?", [.integer(id)]).map(webhook)
    }

    /// Inserts a webhook with its sealed secret; returns the new id.
    static func insert(name: String, url: String, sealedSecret: [UInt8], enabled: Bool, at: Date, _ db: Connection) throws -> Int64 {
        try db.insert("INSERT INTO webhooks (name, url, secret, enabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                      [.text(name), .text(url), .blob(sealedSecret), .bool(enabled), .date(at), .date(at)])
    }

    /// Writes the editable fields of `hook`.
    static func update(_ hook: Webhook, _ db: Connection) throws {
        try db.run("UPDATE webhooks SET name = ?, url = ?, enabled = ?, updated_at = ? WHERE id = ?",
                   [.text(hook.name), .text(hook.url), .bool(hook.enabled), .date(hook.updatedAt), .integer(hook.id)])
    }

    /// Replaces the sealed secret of webhook `id`.
    static func setSecret(_ id: Int64, sealed: [UInt8], at: Date, _ db: Connection) throws {
        try db.run("UPDATE webhooks SET secret = ?, updated_at = ? WHERE id = ?", [.blob(sealed), .date(at), .integer(id)])
    }

    /// Deletes webhook `id`; its deliveries still queued fail.
    static func delete(_ id: Int64, _ db: Connection) throws {
        try db.run("DELETE FROM webhooks WHERE id = ?", [.integer(id)])
        try db.run("UPDATE webhook_deliveries SET state = 'failed', last_error = 'the webhook was deleted' WHERE webhook_id = ? AND state = 'queued'",
                   [.integer(id)])
    }

    /// Queues a delivery of `payload` to webhook `id`, due at `at`; returns its id.
    static func queueDelivery(webhook id: Int64, event: Int64?, payload: String, at: Date, _ db: Connection) throws -> Int64 {
        try db.insert("""
            INSERT INTO webhook_deliveries (webhook_id, event_id, payload, state, next_attempt_at, created_at)
            VALUES (?, ?, ?, 'queued', ?, ?)
            """, [.integer(id), .optional(event), .text(payload), .date(at), .date(at)])
    }

    /// The deliveries of webhook `id`, newest first, at most `limit`, with their attempts.
    static func deliveries(of id: Int64, limit: Int, _ db: Connection) throws -> [WebhookDelivery] {
        try db.query("""
            SELECT id, webhook_id, event_id, state, next_attempt_at, created_at, delivered_at, payload
            FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?
            """, [.integer(id), .int(limit)]).map { row in
            let attempts = try db.query("SELECT at, status, error, duration_ms FROM webhook_attempts WHERE delivery_id = ? ORDER BY id",
                                        [.integer(row.int64(0))]).map {
                WebhookDelivery.Attempt(at: $0.date(0), status: $0.optionalInt64(1).map(Int.init), error: $0.optionalText(2), durationMs: $0.int(3))
            }
            let state = row.text(3)
            return WebhookDelivery(id: row.int64(0), webhookID: row.int64(1), eventID: row.optionalInt64(2), state: state,
                                   attempts: attempts, nextAttemptAt: state == "queued" ? row.date(4) : nil, createdAt: row.date(5),
                                   deliveredAt: row.optionalInt64(6).map { _ in row.date(6) }, payload: row.text(7))
        }
    }

    /// Queued deliveries due at `now`, oldest first, at most `limit`: (id, url, sealed
    /// secret, payload, attempts so far).
    static func due(now: Date, limit: Int, _ db: Connection) throws
        -> [(id: Int64, url: String, sealedSecret: [UInt8], payload: String, attempts: Int)]
    {
        try db.query("""
            SELECT d.id, w.url, w.secret, d.payload, d.attempts FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
            WHERE d.state = 'queued' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?
            """, [.date(now), .int(limit)]).map { ($0.int64(0), $0.text(1), $0.blob(2), $0.text(3), $0.int(4)) }
    }

    /// Logs one attempt of delivery `id`; returns how many attempts it has had before this one.
    static func logAttempt(_ id: Int64, at: Date, status: Int?, error: String?, durationMs: Int, _ db: Connection) throws -> Int {
        try db.run("INSERT INTO webhook_attempts (delivery_id, at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?)",
                   [.integer(id), .date(at), .optional(status.map(Int64.init)), .optional(error), .int(durationMs)])
        return try db.first("SELECT attempts FROM webhook_deliveries WHERE id = ?", [.integer(id)])?.int(0) ?? 0
    }

    /// Marks delivery `id` delivered after `attempts` attempts.
    static func markDelivered(_ id: Int64, attempts: Int, status: Int, at: Date, _ db: Connection) throws {
        try db.run("UPDATE webhook_deliveries SET state = 'delivered', attempts = ?, last_status = ?, last_error = NULL, delivered_at = ? WHERE id = ?",
                   [.int(attempts), .int(status), .date(at), .integer(id)])
    }

    /// Schedules delivery `id` again at `next` after `attempts` failed attempts.
    static func scheduleRetry(_ id: Int64, attempts: Int, status: Int?, error: String?, next: Date, _ db: Connection) throws {
        try db.run("UPDATE webhook_deliveries SET attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ? WHERE id = ?",
                   [.int(attempts), .optional(status.map(Int64.init)), .optional(error), .date(next), .integer(id)])
    }

    /// Marks delivery `id` failed for good after `attempts` attempts.
    static func markFailed(_ id: Int64, attempts: Int, status: Int?, error: String?, _ db: Connection) throws {
        try db.run("UPDATE webhook_deliveries SET state = 'failed', attempts = ?, last_status = ?, last_error = ? WHERE id = ?",
                   [.int(attempts), .optional(status.map(Int64.init)), .optional(error), .integer(id)])
    }

    /// The enabled flag and name of webhook `id`, or nil when it is gone.
    static func state(_ id: Int64, _ db: Connection) throws -> (enabled: Bool, name: String)? {
        try db.first("SELECT enabled, name FROM webhooks WHERE id = ?", [.integer(id)]).map { ($0.int(0) != 0, $0.text(1)) }
    }

    private static func webhook(_ row: Row) -> Webhook {
        Webhook(id: row.int64(0), name: row.text(1), url: row.text(2), enabled: row.int(3) != 0, createdAt: row.date(4), updatedAt: row.date(5))
    }
}
