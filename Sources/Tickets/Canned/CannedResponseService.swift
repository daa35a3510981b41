import Foundation

/// Canned responses: shared across the account, managed with `canned.manage`, listed,
/// searched and rendered by any agent with `ticket.view`. Changes are audited (account-wide
/// entries, without a ticket) in the same transaction.
public final class CannedResponseService: Sendable {
    let database: Database
    let now: Clock

    /// The most responses one search returns.
    public static let maxResults = 100

    public init(database: Database, now: @escaping Clock) {
        self.database = database
        self.now = now
    }

    /// Responses containing every keyword of `query` in their title or body (any case; empty:
    /// all), optionally of `category`, by title. Needs `ticket.view`.
    public func search(_ query: String = "", category: TicketCategory? = nil, limit: Int = maxResults,
                       for viewer: Actor) async throws -> [CannedResponse] {
        try require(.ticketView, for: viewer)
        let limit = min(max(limit, 1), Self.maxResults)
        return try await database.read { db in try CannedRecord.search(query, category: category, limit: limit, db) }
    }

    /// Response `id`. Needs `ticket.view`. Throws `.notFound`.
    public func response(_ id: CannedResponseID, for viewer: Actor) async throws -> CannedResponse {
        try require(.ticketView, for: viewer)
        return try await database.read { db in try CannedRecord.load(id, db) }
    }

    /// Creates a response. Needs `canned.manage`. Throws `.validation("title" | "body")`.
    public func create(_ draft: CannedResponseDraft, by actor: Actor) async throws -> CannedResponse {
        try require(.cannedManage, for: actor)
        let title = try CannedRules.title(draft.title ?? "")
        let body = try CannedRules.body(draft.body ?? "")
        let at = now()
        return try await database.write { db in
            let created = try CannedRecord.insert(CannedResponse(
                id: CannedResponseID(0), title: title, body: body, category: draft.category ?? nil,
                createdBy: actor.agentID, createdAt: at, updatedAt: at), db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .cannedCreated, before: nil,
                                after: Self.auditValues(created), at: at, subject: created.id.rawValue)
            return created
        }
    }

    /// Changes the fields `draft` sets. Needs `canned.manage`. Throws `.notFound`, `.validation`.
    public func update(_ id: CannedResponseID, _ draft: CannedResponseDraft, by actor: Actor) async throws -> CannedResponse {
        try require(.cannedManage, for: actor)
        let title = try draft.title.map(CannedRules.title)
        let body = try draft.body.map(CannedRules.body)
        let at = now()
        return try await database.write { db in
            let current = try CannedRecord.load(id, db)
            var next = current
            if let title { next.title = title }
            if let body { next.body = body }
            if let category = draft.category { next.category = category }
            guard next != current else { return current }
            next.updatedAt = at
            try CannedRecord.update(next, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .cannedUpdated, before: Self.auditValues(current),
                                after: Self.auditValues(next), at: at, subject: id.rawValue)
            return next
        }
    }

    /// Deletes response `id`. Needs `canned.manage`. Throws `.notFound`.
    public func delete(_ id: CannedResponseID, by actor: Actor) async throws {
        try require(.cannedManage, for: actor)
        let at = now()
        try await database.write { db in
            let current = try CannedRecord.load(id, db)
            try CannedRecord.delete(id, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .cannedDeleted, before: Self.auditValues(current),
                                after: nil, at: at, subject: id.rawValue)
        }
    }

    /// Response `id` rendered for `ticket` by `viewer` (who must be an agent who may see the
    /// ticket): placeholders filled from the ticket, its requester and the viewer's name.
    public func render(_ id: CannedResponseID, ticket ticketID: TicketID, for viewer: Actor) async throws
        -> (CannedResponse, CannedTemplate.Rendered)
    {
        try require(.ticketView, for: viewer)
        return try await database.read { db in
            let response = try CannedRecord.load(id, db)
            let ticket = try TicketService.visibleTicket(ticketID, to: viewer, db)
            let requester = try ContactStore.find(ticket.requesterID, db)
            let agentName: String = if case .agent(let principal) = viewer { principal.agent.name } else { "" }
            let values = CannedTemplate.values(
                requesterName: requester?.name ?? "", requesterEmail: requester?.email ?? "", reference: ticket.reference,
                subject: ticket.subject, agentName: agentName)
            return (response, try CannedTemplate.render(response.body, values: values))
        }
    }

    static func auditValues(_ response: CannedResponse) -> AuditLog.Values {
        ["cannedResponseID": .int(response.id.rawValue), "title": .string(response.title),
         "body": .string(String(response.body.prefix(500))), "category": .optional(response.category?.rawValue)]
    }
}
