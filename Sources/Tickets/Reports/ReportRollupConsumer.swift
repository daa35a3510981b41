import Foundation

/// The log's `reports` consumer: keeps `report_facts` and `report_daily` (`ReportRollup`)
/// up to date. Every change to what a report counts logs an event naming its ticket in the
/// change's own transaction (status, priority, category, assignee, replies, merges with the
/// secondary in the payload, deletion, SLA breaches and policy moves), so each batch
/// refreshes the tickets its events name from their current rows, with the cursor in the same
/// transaction: exactly once, and idempotent anyway (a refresh recomputes from the rows).
///
/// Writes that log no events (the demo seeder, the benchmark's bulk loader, the SLA clock
/// backfill) are followed by `ReportRollupConsumer.rebuild`.
public final class ReportRollupConsumer: EventConsumer {
    public let name = ReportRollup.consumer
    public var storesOwnCursor: Bool { true }
    let database: Database

    public init(database: Database) { self.database = database }

    public func handle(_ events: [LoggedEvent], through position: Int64) async throws {
        let tickets = Self.tickets(events), name = self.name
        try await database.write { db in
            try ReportRollup.refresh(tickets, db)
            try EventLog.advance(name, to: position, at: Date(), db)
        }
    }

    /// The tickets `events` name (a merge names its secondary too), each once, in order.
    static func tickets(_ events: [LoggedEvent]) -> [Int64] {
        var seen = Set<Int64>(), result: [Int64] = []
        for logged in events {
            var ids = logged.event.ticketID.map { [$0] } ?? []
            if case .ticket(.merged(let primary, let secondary, _)) = logged.event { ids = [primary.id, secondary.id] }
            for id in ids where seen.insert(id.rawValue).inserted { result.append(id.rawValue) }
        }
        return result
    }

    /// Refills the roll-up from the live tickets and puts the cursor at the log's head, in one
    /// write transaction (a few seconds per million tickets). For data written without events.
    public static func rebuild(_ database: Database) async throws {
        try await database.write { db in try ReportRollup.fill(db) }
    }
}
