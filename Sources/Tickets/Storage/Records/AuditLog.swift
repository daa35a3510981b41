import Foundation

/// Writes and reads the audit log. Entries are written on the caller's connection, inside
/// the same transaction as the change they describe. A configuration change (an entry
/// without a ticket) also appends its event to the event log here, so no audited
/// configuration command can leave the log out; ticket commands log their richer events
/// through `TicketService.command`.
enum AuditLog {
    typealias Values = [String: AuditValue]

    /// Appends one entry. Throws the database's error.
    /// `subject` is the id of the configuration record changed (agent, role, policy, ...).
    static func record(
        _ db: Connection, ticket: TicketID?, actor: Actor, action: AuditAction,
        before: Values?, after: Values?, at: Date, subject: Int64? = nil
    ) throws {
        try db.run("""
            INSERT INTO audit_log (ticket_id, actor_kind, actor_id, action, before_json, after_json, at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, try insertedRow(ticket: ticket, actor: actor, action: action, before: before, after: after, at: at))
        if ticket == nil { try EventLog.append(action.configurationEvents(subject: subject), by: EventActor(actor), at: at, db) }
    }

    /// The columns an entry's row sets (`insertedRow`), in order: those of `record`.
    static let insertedColumns = ["ticket_id", "actor_kind", "actor_id", "action", "before_json", "after_json", "at"]

    /// The values of `insertedColumns` for one entry (the bulk loader writes the same row).
    /// Throws when the values cannot be encoded as JSON.
    static func insertedRow(ticket: TicketID?, actor: Actor, action: AuditAction, before: Values?, after: Values?,
                            at: Date) throws -> [SQLValue] {
        let (kind, id): (String, Int64?) = switch AuditActor(actor) {
        case .agent(let agent): ("agent", agent.rawValue)
        case .requester(let contact): ("requester", contact.rawValue)
        case .system: ("system", nil)
        }
        return [.optional(ticket?.rawValue), .text(kind), .optional(id), .text(action.rawValue),
                .optional(try before.map(json)), .optional(try after.map(json)), .date(at)]
    }

    /// Every entry for `ticket`, oldest first.
    static func timeline(_ ticket: TicketID, _ db: Connection) throws -> [AuditEntry] {
        try db.query("""
            SELECT id, ticket_id, actor_kind, actor_id, action, before_json, after_json, at
            FROM audit_log WHERE ticket_id = ? ORDER BY id
            """, [.integer(ticket.rawValue)]).map(entry)
    }

    /// The most recent `limit` entries before entry id `before` (nil: the newest), newest first.
    static func recent(limit: Int, before: Int64?, _ db: Connection) throws -> [AuditEntry] {
        try db.query("""
            SELECT id, ticket_id, actor_kind, actor_id, action, before_json, after_json, at
            FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?
            """, [.integer(before ?? Int64.max), .int(limit)]).map(entry)
    }

    /// Whether `actor` (an agent or contact id) wrote an entry of `action` at `at`.
    static func contains(_ action: AuditAction, at: Date, byActor actor: Int64, _ db: Connection) throws -> Bool {
        try db.first("SELECT 1 FROM audit_log WHERE action = ? AND at = ? AND actor_id = ? LIMIT 1",
                     [.text(action.rawValue), .date(at), .integer(actor)]) != nil
    }

    private static func entry(_ row: Row) -> AuditEntry {
        let actor: AuditActor = switch row.text(2) {
        case "agent": .agent(AgentID(row.int64(3)))
        case "requester": .requester(ContactID(row.int64(3)))
        default: .system
        }
        return AuditEntry(
            id: row.int64(0), ticketID: row.optionalInt64(1).map(TicketID.init), actor: actor,
            action: AuditAction(rawValue: row.text(4)) ?? .ticketUpdated, before: row.optionalText(5),
            after: row.optionalText(6), at: row.date(7))
    }

    private static func json(_ values: Values) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings, numbers, booleans and string lists always encode; a failure throws (the
        // change rolls back) rather than storing an entry that says nothing.
        let data = try encoder.encode(values)
        return String(decoding: data, as: UTF8.self)
    }
}
