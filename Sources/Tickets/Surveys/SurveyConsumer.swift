import Foundation

/// Creates and cancels CSAT surveys from the event log: a ticket that becomes Resolved gets
/// a survey (the resolving agent recorded for reports); a ticket moved from Resolved back to
/// a working status before an answer has its survey cancelled (Closed keeps it). Each batch
/// is one transaction with the surveys, their audit entries, their `survey.created` and
/// `survey.cancelled` events and the cursor: exactly once across crashes.
public final class SurveyConsumer: EventConsumer {
    public let name = "surveys"
    public var storesOwnCursor: Bool { true }
    /// A new installation surveys resolutions from now on, not the whole history.
    public var startsAtHead: Bool { true }
    private let surveys: SurveyService

    public init(surveys: SurveyService) { self.surveys = surveys }

    public func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        let name = self.name, surveys = self.surveys
        try await surveys.database.write { db in
            for logged in events {
                guard case .ticket(.statusChanged(let ticket, let from, let to)) = logged.event,
                      try TicketRecord.find(ticket.id, db) != nil else { continue }
                let changes: [SurveyEvent]
                if to == .resolved {
                    changes = try surveys.resolved(ticket, by: logged.actor.agentID ?? ticket.assigneeID, at: logged.at, db)
                } else if from == .resolved, to != .closed {
                    changes = try surveys.cancelPending(ticket.id, at: logged.at, db)
                } else {
                    continue
                }
                try EventLog.append(changes.map(DomainEvent.survey), by: .system, at: logged.at, db)
            }
            try EventLog.advance(name, to: position, at: Date(), db)
        }
    }
}
