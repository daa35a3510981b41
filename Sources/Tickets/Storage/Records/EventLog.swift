import Foundation

/// The event log's rows, on the caller's connection: appended inside the transaction of the
/// change that caused them, read back in id order (the commit order: there is one writer),
/// and pruned once every consumer has passed them and the retention window is over.
public enum EventLog {
    /// Appends `events` (in order) caused by `actor` at `at`. Returns the id of the last one,
    /// nil when `events` is empty. Must run inside the change's write transaction.
    @discardableResult
    static func append(_ events: [DomainEvent], by actor: EventActor, at: Date, _ db: Connection) throws -> Int64? {
        precondition(db.inTransaction, "events are appended inside the transaction of their change")
        var last: Int64?
        for event in events {
            let (type, payload) = try EventCoding.encode(event)
            last = try db.insert("""
                INSERT INTO events (type, ticket_id, actor_kind, actor_id, actor_name, payload, at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(type), .optional(event.ticketID?.rawValue), .text(actor.kind.rawValue), .optional(actor.id),
                      .optional(actor.name), .text(payload), .date(at)])
        }
        if last != nil { db.eventsAppended = true }
        return last
    }

    /// Appends one event caused by `actor` (see `append(_:by:at:_:)`).
    @discardableResult
    static func append(_ event: DomainEvent, by actor: Actor, at: Date, _ db: Connection) throws -> Int64? {
        try append([event], by: EventActor(actor), at: at, db)
    }

    /// A row that could not be read back (a type or payload this build does not know).
    public struct Unreadable: Sendable, Error, CustomStringConvertible {
        public let id: Int64
        public let type: String
        public let reason: String
        public var description: String { "event \(id) (\(type)) cannot be read: \(reason)" }
    }

    /// Up to `limit` events after position `after`, in order, with the rows that could not
    /// be decoded reported apart (they are skipped, never silently: the relay logs and counts them).
    static func read(after: Int64, limit: Int, _ db: Connection) throws -> (events: [LoggedEvent], unreadable: [Unreadable], last: Int64?) {
        let rows = try db.query("SELECT \(columns) FROM events WHERE id > ? ORDER BY id LIMIT ?", [.integer(after), .int(limit)])
        let (events, unreadable) = decode(rows)
        return (events, unreadable, rows.last?.int64(0))
    }

    /// The newest `limit` events at or before `position`, oldest first (unreadable rows skipped).
    static func newest(upTo position: Int64, limit: Int, _ db: Connection) throws -> [LoggedEvent] {
        let rows = try db.query("SELECT \(columns) FROM events WHERE id <= ? ORDER BY id DESC LIMIT ?", [.integer(position), .int(limit)])
        return decode(rows.reversed()).events
    }

    private static let columns = "id, type, actor_kind, actor_id, actor_name, payload, at"

    private static func decode(_ rows: [Row]) -> (events: [LoggedEvent], unreadable: [Unreadable]) {
        var events: [LoggedEvent] = [], unreadable: [Unreadable] = []
        events.reserveCapacity(rows.count)
        for row in rows {
            let id = row.int64(0), type = row.text(1)
            do {
                let actor = EventActor(kind: EventActor.Kind(rawValue: row.text(2)) ?? .system, id: row.optionalInt64(3),
                                       name: row.optionalText(4))
                events.append(LoggedEvent(id: id, at: row.date(6), actor: actor,
                                          event: try EventCoding.decode(type: type, payload: row.text(5))))
            } catch {
                unreadable.append(Unreadable(id: id, type: type, reason: "\(error)"))
            }
        }
        return (events, unreadable)
    }

    /// The id of the newest event ever appended (0 for none), kept even when pruning empties
    /// the table: SQLite's AUTOINCREMENT counter, PostgreSQL's identity sequence (which
    /// may also count an id of a rolled-back append: never a committed one skipped).
    static func head(_ db: Connection) throws -> Int64 {
        switch db.dialect {
        case .sqlite:
            try db.first("SELECT seq FROM sqlite_sequence WHERE name = 'events'")?.int64(0) ?? 0
        case .postgres:
            try db.first("SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence('events', 'id')), 0)")?.int64(0) ?? 0
        }
    }

    /// The id of the oldest event still kept (nil when the log is empty).
    static func tail(_ db: Connection) throws -> Int64? {
        try db.first("SELECT min(id) FROM events")?.optionalInt64(0)
    }

    /// The stored position of `consumer`, nil for a consumer that never ran.
    static func cursor(_ consumer: String, _ db: Connection) throws -> Int64? {
        try db.first("SELECT position FROM event_cursors WHERE consumer = ?", [.text(consumer)])?.int64(0)
    }

    /// Stores `position` for `consumer` (never moving it back). Call inside the transaction
    /// that stores the consumer's effects to make them exactly-once.
    static func advance(_ consumer: String, to position: Int64, at: Date, _ db: Connection) throws {
        try db.run("""
            INSERT INTO event_cursors (consumer, position, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (consumer) DO UPDATE SET updated_at = excluded.updated_at,
                position = CASE WHEN excluded.position > event_cursors.position THEN excluded.position ELSE event_cursors.position END
            """, [.text(consumer), .integer(position), .date(at)])
    }

    /// Every stored cursor, by consumer name.
    static func cursors(_ db: Connection) throws -> [String: Int64] {
        var cursors: [String: Int64] = [:]
        for row in try db.query("SELECT consumer, position FROM event_cursors") { cursors[row.text(0)] = row.int64(1) }
        return cursors
    }

    /// Deletes, in bounded steps, the events at or before `through` that are older than
    /// `before`. Returns how many were deleted.
    static func prune(through: Int64, olderThan before: Date, limit: Int, _ db: Connection) throws -> Int {
        try db.run("""
            DELETE FROM events WHERE id IN (SELECT id FROM events WHERE id <= ? AND at < ? ORDER BY id LIMIT ?)
            """, [.integer(through), .date(before), .int(limit)])
    }
}

extension Database {
    /// The newest `limit` events at or before `position`, oldest first.
    public func events(upTo position: Int64, limit: Int) async throws -> [LoggedEvent] {
        try await read { db in try EventLog.newest(upTo: position, limit: limit, db) }
    }

    /// The id of the newest event ever appended (0 for none).
    public func eventLogHead() async throws -> Int64 {
        try await read { db in try EventLog.head(db) }
    }

    /// The stored cursor of `consumer` (nil: none yet): how far it got, as last stored by
    /// the node that runs it (the relay stores it at least once a second while it moves).
    public func eventCursor(_ consumer: String) async throws -> Int64? {
        try await read { db in try EventLog.cursor(consumer, db) }
    }
}

/// A ticket command's result before its events are logged: what the inner steps of a
/// command (an update inside a bulk change or a merge) build and combine.
struct TicketChange<Value: Sendable>: Sendable {
    let value: Value
    let events: [TicketEvent]
}

/// A committed ticket command: its value, the events it caused (already in the event log,
/// in the command's transaction) and the log position of the last one. Only
/// `TicketService.command` makes one, so no ticket command can skip the log.
public struct CommandResult<Value: Sendable>: Sendable {
    public let value: Value
    public let events: [TicketEvent]
    /// The id of the command's last event in the log (nil when it changed nothing).
    public let logPosition: Int64?

    fileprivate init(value: Value, events: [TicketEvent], logPosition: Int64?) {
        self.value = value
        self.events = events
        self.logPosition = logPosition
    }
}

extension TicketService {
    /// Runs one ticket command: `body` in a write transaction, then its events appended to
    /// the log in the same transaction, before COMMIT.
    func command<Value: Sendable>(by actor: Actor, at: Date, _ body: @escaping @Sendable (Connection) throws -> TicketChange<Value>)
        async throws -> CommandResult<Value>
    {
        let by = EventActor(actor)
        return try await database.write { db in
            let change = try body(db)
            let position = try EventLog.append(change.events.map(DomainEvent.ticket), by: by, at: at, db)
            return CommandResult(value: change.value, events: change.events, logPosition: position)
        }
    }
}
