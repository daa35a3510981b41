import Foundation

/// `workflow_runs` rows on the caller's connection: one per workflow run, keyed by its run
/// key (so a replayed event or time check never runs a workflow twice), with the range of
/// event ids it caused.
enum WorkflowRunRecord {
    private static let columns = """
        id, workflow_id, workflow_name, event_id, trigger_kind, ticket_id, email_id, depth, outcome, conditions_json, actions_json, at
        """

    /// True when a run with `key` exists.
    static func exists(_ key: String, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM workflow_runs WHERE run_key = ?", [.text(key)]) != nil
    }

    /// What one run recorded.
    struct NewRun {
        let key: String
        let workflow: Workflow
        let eventID: Int64?
        let trigger: String
        let ticketID: TicketID?
        let emailID: Int64?
        let depth: Int
        let outcome: String
        let conditionsJSON: String
        let actionsJSON: String
        /// The first and last event ids the run caused, when it caused any.
        let caused: (first: Int64, last: Int64)?
        let at: Date
    }

    /// Inserts `run`; returns its id.
    @discardableResult
    static func insert(_ run: NewRun, _ db: Connection) throws -> Int64 {
        try db.insert("""
            INSERT INTO workflow_runs (run_key, workflow_id, workflow_name, event_id, trigger_kind, ticket_id, email_id, depth, outcome,
                                       conditions_json, actions_json, caused_first, caused_last, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(run.key), .integer(run.workflow.id.rawValue), .text(run.workflow.name), .optional(run.eventID),
                  .text(run.trigger), .optional(run.ticketID?.rawValue), .optional(run.emailID), .int(run.depth), .text(run.outcome),
                  .text(run.conditionsJSON), .text(run.actionsJSON), .optional(run.caused?.first), .optional(run.caused?.last),
                  .date(run.at)])
    }

    /// The depth of the run that caused event `id` (0 when no run did).
    static func depth(causing id: Int64, _ db: Connection) throws -> Int {
        try db.first("""
            SELECT depth FROM workflow_runs WHERE caused_last >= ? AND caused_first <= ? ORDER BY caused_last LIMIT 1
            """, [.integer(id), .integer(id)])?.int(0) ?? 0
    }

    /// Runs with ids below `before`, of `workflow` and `ticket` when given, newest first, at
    /// most `limit`.
    static func list(workflow: WorkflowID?, ticket: TicketID?, before: Int64, limit: Int, _ db: Connection) throws -> [WorkflowRun] {
        var sql = "SELECT \(columns) FROM workflow_runs WHERE id < ?"
        var values: [SQLValue] = [.integer(before)]
        if let workflow {
            sql += " AND workflow_id = ?"
            values.append(.integer(workflow.rawValue))
        }
        if let ticket {
            sql += " AND ticket_id = ?"
            values.append(.integer(ticket.rawValue))
        }
        sql += " ORDER BY id DESC LIMIT ?"
        values.append(.int(limit))
        return try db.query(sql, values).map(run)
    }

    /// Run `id`, or nil.
    static func find(_ id: Int64, _ db: Connection) throws -> WorkflowRun? {
        try db.first("SELECT \(columns) FROM workflow_runs WHERE id = ?", [.integer(id)]).map(run)
    }

    /// Up to `limit` tickets in `status` last updated at or before `cutoff`, oldest update
    /// first, for which no run with key `<workflow>:t<ticket>:<updated_at ms>` exists yet:
    /// (ticket, updated_at in ms).
    static func timeCandidates(workflow: WorkflowID, status: TicketStatus, updatedBy cutoff: Date, limit: Int,
                               _ db: Connection) throws -> [(TicketID, Int64)] {
        try db.query("""
            SELECT t.id, t.updated_at FROM tickets t
            WHERE t.status = ? AND t.updated_at <= ?
              AND NOT EXISTS (SELECT 1 FROM workflow_runs r
                              WHERE r.run_key = CAST(? AS TEXT) || ':t' || CAST(t.id AS TEXT) || ':' || CAST(t.updated_at AS TEXT))
            ORDER BY t.updated_at LIMIT ?
            """, [.text(status.rawValue), .date(cutoff), .text(workflow.description), .int(limit)])
            .map { (TicketID($0.int64(0)), $0.int64(1)) }
    }

    /// The SLA policy of `ticket`'s clock, if it has one.
    static func slaPolicy(of ticket: TicketID, _ db: Connection) throws -> SLAPolicyID? {
        try db.first("SELECT policy_id FROM sla_state WHERE ticket_id = ?", [.integer(ticket.rawValue)]).map { SLAPolicyID($0.int64(0)) }
    }

    private static func run(_ row: Row) -> WorkflowRun {
        let decoder = JSONDecoder()
        return WorkflowRun(
            id: row.int64(0), workflowID: WorkflowID(row.int64(1)), workflowName: row.text(2), eventID: row.optionalInt64(3),
            trigger: row.text(4), ticketID: row.optionalInt64(5).map(TicketID.init), emailID: row.optionalInt64(6), depth: row.int(7),
            outcome: row.text(8),
            conditions: (try? decoder.decode([CompiledConditions.Outcome].self, from: Data(row.text(9).utf8))) ?? [],
            actions: (try? decoder.decode([ActionResult].self, from: Data(row.text(10).utf8))) ?? [], at: row.date(11))
    }
}
