import Foundation

/// Stores the notifications that ticket and SLA events cause, reading them from the event
/// log. The drafts are worked out in a read transaction; only a batch that notifies someone
/// opens a write transaction, holding the notifications and their `notification.created`
/// events. A batch handed over again after a crash stores nothing twice: a notification is
/// unique per (causing event, recipient) and only a stored one gets its event.
public final class NotificationConsumer: EventConsumer {
    public let name = "notifications"
    /// A new installation starts after the newest event; a benchmark replays a backlog.
    public let startsAtHead: Bool
    private let database: Database

    public init(database: Database, startsAtHead: Bool = true) {
        self.database = database
        self.startsAtHead = startsAtHead
    }

    public func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        let drafts = try await database.read { db in try Self.drafts(for: events, db) }
        guard !drafts.isEmpty else { return }
        try await database.write { db in
            for (cause, at, batch) in drafts { _ = try NotificationService.store(batch, cause: cause, at: at, db) }
        }
    }

    /// The drafts of each event that notifies someone: (event id, its time, drafts), with
    /// a command that touched several tickets folded to one summary per recipient.
    static func drafts(for events: [LoggedEvent], _ db: Connection) throws -> [(Int64, Date, [NotificationDraft])] {
        var watchers: [TicketID: [AgentID]] = [:]
        var mentionable: [Mentionable]?
        var result: [CausedDrafts] = []
        for logged in events {
            let drafts: [NotificationDraft]
            switch logged.event {
            case .ticket(let event):
                var following: [AgentID] = []
                if case .messageAdded(let ticket, _) = event { following = try Self.watchers(ticket.id, &watchers, db) }
                if case .statusChanged(let ticket, _, _) = event { following = try Self.watchers(ticket.id, &watchers, db) }
                if case .watchersChanged(let ticket, let now) = event { watchers[ticket.id] = now }
                if case .messageAdded(_, let message) = event, message.kind == .note, message.body.contains("@"), mentionable == nil {
                    mentionable = try Mentions.candidates(db)
                }
                drafts = NotificationRules.drafts(for: event, byAgent: logged.actor.agentID, named: logged.actor.name,
                                                  watchers: following, mentionable: mentionable ?? [])
            case .sla(let event):
                drafts = try TicketRecord.find(event.ticketID, db).flatMap { NotificationRules.draft(for: event, $0) }.map { [$0] } ?? []
            case .survey(.rated(let survey)):
                drafts = try TicketRecord.find(survey.ticketID, db).map { NotificationRules.drafts(forRating: survey, $0) } ?? []
            case .survey(.answerChanged(let survey, _)):
                drafts = try TicketRecord.find(survey.ticketID, db)
                    .map { NotificationRules.drafts(forRating: survey, $0, changed: true) } ?? []
            default:
                continue
            }
            if !drafts.isEmpty {
                result.append(CausedDrafts(cause: logged.id, at: logged.at, actorID: logged.actor.agentID.map(\.rawValue),
                                           actorName: logged.actor.name, drafts: drafts))
            }
        }
        return try NotificationGrouping.collapse(result) { at, actor in
            try AuditLog.contains(.bulkUpdated, at: at, byActor: actor, db)
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
