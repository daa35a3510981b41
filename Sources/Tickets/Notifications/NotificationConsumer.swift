import Foundation

/// Stores the notifications that ticket and SLA events cause, reading them from the event
/// log. Each batch is one transaction holding the notifications, their
/// `notification.created` events and the consumer's cursor, so after a crash a batch is
/// either wholly stored or wholly redone; the unique (event, recipient) index makes even a
/// redone batch unable to store a notification twice.
public final class NotificationConsumer: EventConsumer {
    public let name = "notifications"
    public var storesOwnCursor: Bool { true }
    /// A new installation starts after the newest event; a benchmark replays a backlog.
    public let startsAtHead: Bool
    private let database: Database

    public init(database: Database, startsAtHead: Bool = true) {
        self.database = database
        self.startsAtHead = startsAtHead
    }

    public func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        let name = self.name
        try await database.write { db in
            var watchers: [TicketID: [AgentID]] = [:]
            for logged in events {
                let drafts: [NotificationDraft]
                switch logged.event {
                case .ticket(let event):
                    var following: [AgentID] = []
                    if case .messageAdded(let ticket, _) = event { following = try Self.watchers(ticket.id, &watchers, db) }
                    if case .statusChanged(let ticket, _, _) = event { following = try Self.watchers(ticket.id, &watchers, db) }
                    if case .watchersChanged(let ticket, let now) = event { watchers[ticket.id] = now }
                    drafts = NotificationRules.drafts(for: event, byAgent: logged.actor.agentID, watchers: following)
                case .sla(let event):
                    drafts = try TicketRecord.find(event.ticketID, db).flatMap { NotificationRules.draft(for: event, $0) }.map { [$0] } ?? []
                case .survey(.rated(let survey)):
                    drafts = try TicketRecord.find(survey.ticketID, db).map { NotificationRules.drafts(forRating: survey, $0) } ?? []
                default:
                    continue
                }
                guard !drafts.isEmpty else { continue }
                _ = try NotificationService.store(drafts, cause: logged.id, at: logged.at, db)
            }
            try EventLog.advance(name, to: position, at: Date(), db)
        }
    }

    /// The ticket's watchers, read once per batch.
    private static func watchers(_ ticket: TicketID, _ cache: inout [TicketID: [AgentID]], _ db: Connection) throws -> [AgentID] {
        if let known = cache[ticket] { return known }
        let list = try WatcherRecord.list(ticket, db)
        cache[ticket] = list
        return list
    }
}
