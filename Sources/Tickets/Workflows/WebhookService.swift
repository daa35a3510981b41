import Foundation

/// A webhook: where a workflow's `call_webhook` action POSTs its run's event as JSON, signed
/// with the webhook's secret. The secret is never part of this value.
public struct Webhook: Sendable, Equatable {
    public let id: Int64
    public var name: String
    public var url: String
    public var enabled: Bool
    public let createdAt: Date
    public var updatedAt: Date
}

/// The fields of a webhook to create (name and url required) or change.
public struct WebhookDraft: Sendable, Decodable {
    public var name: String?
    public var url: String?
    public var enabled: Bool?
    public init(name: String? = nil, url: String? = nil, enabled: Bool? = nil) {
        self.name = name
        self.url = url
        self.enabled = enabled
    }
}

/// One delivery of the delivery log, with each attempt's response code or error.
public struct WebhookDelivery: Sendable, Equatable {
    public struct Attempt: Sendable, Equatable {
        public let at: Date
        public let status: Int?
        public let error: String?
        public let durationMs: Int
    }

    public let id: Int64
    public let webhookID: Int64
    public let eventID: Int64?
    public let state: String
    public let attempts: [Attempt]
    public let nextAttemptAt: Date?
    public let createdAt: Date
    public let deliveredAt: Date?
    public let payload: String
}

/// A delivery due for sending: where, with which secret, what.
public struct DueWebhookDelivery: Sendable {
    public let id: Int64
    public let url: String
    public let secret: String
    public let payload: String
    public let attempts: Int
}

/// Webhooks, managed with `workflow.manage`: created (the secret shown once), changed,
/// disabled, their secret rotated (the new one shown once), deleted; each change audited
/// with its `webhook.*` event. Also the delivery log and the sender's bookkeeping.
public final class WebhookService: Sendable {
    let database: Database
    let key: CredentialKey
    let now: Clock
    private let validateURL: @Sendable (String) -> String?

    public static let maxNameLength = 100
    public static let maxURLLength = 2_000
    /// Attempts a delivery gets: at once, then after each of `retryDelays`; then it fails.
    public static let retryDelays: [Double] = [10, 60, 300, 1_800, 7_200, 21_600]

    /// `validateURL` returns why a URL is refused (the HTTP client's rule), nil when usable.
    public init(database: Database, key: CredentialKey, now: @escaping Clock, validateURL: @escaping @Sendable (String) -> String?) {
        self.database = database
        self.key = key
        self.now = now
        self.validateURL = validateURL
    }

    private static let purpose = "webhook.secret"

    /// Every webhook by name. Needs `workflow.manage`.
    public func webhooks(for viewer: Actor) async throws -> [Webhook] {
        try require(.workflowManage, for: viewer)
        return try await database.read { db in try WebhookRecord.all(db) }
    }

    /// Creates a webhook (enabled unless told otherwise) with a new secret; returns it and the
    /// secret, which is never shown again. Needs `workflow.manage`. Throws `.validation` (name, url).
    public func create(_ draft: WebhookDraft, by actor: Actor) async throws -> (Webhook, secret: String) {
        try require(.workflowManage, for: actor)
        let name = try Self.name(draft.name ?? "")
        let url = try url(draft.url ?? "")
        let secret = Self.newSecret()
        let sealed = key.seal(secret, purpose: Self.purpose)
        let at = now()
        let hook = try await database.write { db in
            let insertedID = try WebhookRecord.insert(name: name, url: url, sealedSecret: sealed, enabled: draft.enabled ?? true,
                                                      at: at, db)
            let hook = Webhook(id: insertedID, name: name, url: url, enabled: draft.enabled ?? true, createdAt: at, updatedAt: at)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .webhookCreated, before: nil, after: Self.auditValues(hook),
                                at: at, subject: hook.id)
            return hook
        }
        return (hook, secret)
    }

    /// Changes the fields `draft` gives. Needs `workflow.manage`. Throws `.notFound`, `.validation`.
    public func update(_ id: Int64, _ draft: WebhookDraft, by actor: Actor) async throws -> Webhook {
        try require(.workflowManage, for: actor)
        let name = try draft.name.map(Self.name)
        let url = try draft.url.map(self.url)
        let at = now()
        return try await database.write { db in
            let current = try Self.load(id, db)
            var next = current
            if let name { next.name = name }
            if let url { next.url = url }
            if let enabled = draft.enabled { next.enabled = enabled }
            guard next != current else { return current }
            next.updatedAt = at
            try WebhookRecord.update(next, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .webhookUpdated, before: Self.auditValues(current),
                                after: Self.auditValues(next), at: at, subject: id)
            return next
        }
    }

    /// Replaces the secret; returns the new one (shown once). Deliveries not yet sent are
    /// signed with it. Needs `workflow.manage`. Throws `.notFound`.
    public func rotateSecret(_ id: Int64, by actor: Actor) async throws -> String {
        try require(.workflowManage, for: actor)
        let secret = Self.newSecret()
        let sealed = key.seal(secret, purpose: Self.purpose)
        let at = now()
        try await database.write { db in
            _ = try Self.load(id, db)
            try WebhookRecord.setSecret(id, sealed: sealed, at: at, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .webhookSecretRotated, before: nil, after: ["secret": .string("rotated")],
                                at: at, subject: id)
        }
        return secret
    }

    /// Deletes a webhook; deliveries still queued for it fail. Needs `workflow.manage`. Throws `.notFound`.
    public func delete(_ id: Int64, by actor: Actor) async throws {
        try require(.workflowManage, for: actor)
        let at = now()
        try await database.write { db in
            let current = try Self.load(id, db)
            try WebhookRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .webhookDeleted, before: Self.auditValues(current), after: nil,
                                at: at, subject: id)
        }
    }

    /// The delivery log of webhook `id`, newest first. Needs `workflow.manage`.
    public func deliveries(of id: Int64, limit: Int = 50, for viewer: Actor) async throws -> [WebhookDelivery] {
        try require(.workflowManage, for: viewer)
        return try await database.read { db in
            _ = try Self.load(id, db)
            return try WebhookRecord.deliveries(of: id, limit: min(max(limit, 1), 200), db)
        }
    }

    /// Deliveries due at `now`, oldest first (for the sender thread; no permission: the system's).
    public func due(now: Date, limit: Int = 20) async throws -> [DueWebhookDelivery] {
        let key = self.key
        return try await database.read { db in
            try WebhookRecord.due(now: now, limit: limit, db).compactMap { row in
                guard let secret = key.open(row.sealedSecret, purpose: Self.purpose) else { return nil }
                return DueWebhookDelivery(id: row.id, url: row.url, secret: secret, payload: row.payload, attempts: row.attempts)
            }
        }
    }

    /// Records one attempt: a 2xx delivers; anything else is retried after the next of
    /// `retryDelays`, or fails when they are used up.
    public func recordAttempt(_ id: Int64, at: Date, status: Int?, error: String?, durationMs: Int) async throws {
        try await database.write { db in
            let attempts = try WebhookRecord.logAttempt(id, at: at, status: status, error: error.map { String($0.prefix(500)) },
                                                        durationMs: durationMs, db) + 1
            if let status, (200..<300).contains(status) {
                try WebhookRecord.markDelivered(id, attempts: attempts, status: status, at: at, db)
            } else if attempts <= Self.retryDelays.count {
                try WebhookRecord.scheduleRetry(id, attempts: attempts, status: status, error: error,
                                                next: at.addingTimeInterval(Self.retryDelays[attempts - 1]), db)
            } else {
                try WebhookRecord.markFailed(id, attempts: attempts, status: status, error: error, db)
            }
        }
    }

    static func load(_ id: Int64, _ db: Connection) throws -> Webhook {
        guard let hook = try WebhookRecord.find(id, db) else { throw DomainError.notFound("Webhook") }
        return hook
    }

    private static func name(_ raw: String) throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(name, field: "name", max: maxNameLength)
        guard !name.isEmpty else { throw DomainError.validation("name", "Enter a name (up to \(maxNameLength) characters).") }
        return name
    }

    private func url(_ raw: String) throws -> String {
        let url = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        try TextLimit.check(url, field: "url", max: Self.maxURLLength)
        if let refusal = validateURL(url) { throw DomainError.validation("url", refusal) }
        return url
    }

    /// 32 random bytes, hex, with a prefix that says what it is.
    private static func newSecret() -> String { "whsec_" + Encoding.hex(Crypto.randomBytes(32)) }

    private static func auditValues(_ w: Webhook) -> AuditLog.Values {
        ["name": .string(w.name), "url": .string(w.url), "enabled": .bool(w.enabled)]
    }

    /// The signature header's value: `sha256=` and the hex HMAC-SHA256 of
    /// `<timestamp>.<body>` under `secret` (what a receiver recomputes to verify).
    public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
        "sha256=" + Encoding.hex(Crypto.hmacSHA256(key: Array(secret.utf8), Array("\(timestamp).".utf8) + body))
    }
}
