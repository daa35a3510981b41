import Foundation

/// `workflows` rows on the caller's connection. Trigger, conditions and actions are JSON.
enum WorkflowRecord {
    private static let columns = "id, name, position, enabled, trigger_json, conditions_json, actions_json, created_at, updated_at"

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

    /// Every workflow in evaluation order. A row whose JSON this build cannot read is an
    /// error, never skipped (a workflow silently not running is worse than a loud failure).
    static func all(_ db: Connection) throws -> [Workflow] {
        try db.query("SELECT \(columns) FROM workflows ORDER BY position, id").map(workflow)
    }

    static func load(_ id: WorkflowID, _ db: Connection) throws -> Workflow {
        guard let row = try db.first("SELECT \(columns) FROM workflows WHERE id = ?", [.integer(id.rawValue)]) else {
            throw DomainError.notFound("Workflow")
        }
        return try workflow(row)
    }

    private static func workflow(_ row: Row) throws -> Workflow {
        let decoder = JSONDecoder()
        return Workflow(
            id: WorkflowID(row.int64(0)), name: row.text(1), position: row.int(2), enabled: row.int(3) != 0,
            trigger: try decoder.decode(WorkflowTrigger.self, from: Data(row.text(4).utf8)),
            conditions: try decoder.decode(ConditionGroup.self, from: Data(row.text(5).utf8)),
            actions: try decoder.decode([WorkflowAction].self, from: Data(row.text(6).utf8)),
            createdAt: row.date(7), updatedAt: row.date(8))
    }

    static func insert(_ w: Workflow, _ db: Connection) throws -> Workflow {
        let insertedID = try db.insert("""
            INSERT INTO workflows (name, position, enabled, trigger_kind, trigger_json, conditions_json, actions_json, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(w.name), .int(w.position), .bool(w.enabled), .text(w.trigger.kind.rawValue), .text(try json(w.trigger)),
                  .text(try json(w.conditions)), .text(try json(w.actions)), .date(w.createdAt), .date(w.updatedAt)])
        var created = w
        created.id = WorkflowID(insertedID)
        return created
    }

    static func update(_ w: Workflow, _ db: Connection) throws {
        try db.run("""
            UPDATE workflows SET name = ?, enabled = ?, trigger_kind = ?, trigger_json = ?, conditions_json = ?, actions_json = ?,
                                 updated_at = ? WHERE id = ?
            """, [.text(w.name), .bool(w.enabled), .text(w.trigger.kind.rawValue), .text(try json(w.trigger)),
                  .text(try json(w.conditions)), .text(try json(w.actions)), .date(w.updatedAt), .integer(w.id.rawValue)])
    }

    /// How many workflows exist and the greatest position (nil when none).
    static func countAndLastPosition(_ db: Connection) throws -> (count: Int, last: Int?) {
        let row = try db.first("SELECT count(*), max(position) FROM workflows")
        return (row?.int(0) ?? 0, row?.optionalInt64(1).map(Int.init))
    }

    /// Deletes workflow `id`.
    static func delete(_ id: WorkflowID, _ db: Connection) throws {
        try db.run("DELETE FROM workflows WHERE id = ?", [.integer(id.rawValue)])
    }

    /// Moves workflow `id` to `position`.
    static func setPosition(_ id: WorkflowID, _ position: Int, at: Date, _ db: Connection) throws {
        try db.run("UPDATE workflows SET position = ?, updated_at = ? WHERE id = ?", [.int(position), .date(at), .integer(id.rawValue)])
    }

    /// Whether an enabled workflow with an email trigger covers `mailbox` (names it, or any
    /// mailbox). While none does, ingestion keeps the default rule (every new email a ticket).
    static func emailWorkflowsCover(mailbox: MailboxID?, _ db: Connection) throws -> Bool {
        let rows = try db.query("SELECT trigger_json FROM workflows WHERE enabled = 1 AND trigger_kind = ?",
                                [.text(WorkflowTrigger.Kind.emailReceived.rawValue)])
        let decoder = JSONDecoder()
        return rows.contains { row in
            guard let trigger = try? decoder.decode(WorkflowTrigger.self, from: Data(row.text(0).utf8)) else { return false }
            return trigger.mailboxId == nil || trigger.mailboxId == mailbox?.rawValue
        }
    }
}
