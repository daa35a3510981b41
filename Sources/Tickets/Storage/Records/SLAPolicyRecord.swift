import Foundation

/// Reads and writes `sla_policies` rows on the caller's connection.
enum SLAPolicyRecord {
    static let columns = """
        id, name, fr_urgent, fr_high, fr_medium, fr_low, res_urgent, res_high, res_medium, res_low, \
        nr_urgent, nr_high, nr_medium, nr_low, start_minute, end_minute, weekdays, time_zone, holidays, \
        warning_percent, is_default, created_at, updated_at
        """
    static let holidaySeparator: Character = ","

    /// Every policy, default first, then by name (in any case: names are unique regardless
    /// of case, so `lower` orders them as the column's NOCASE collation did).
    static func all(_ db: Connection) throws -> [SLAPolicy] {
        try db.query("SELECT \(columns) FROM sla_policies ORDER BY is_default DESC, lower(name)").map(policy)
    }

    /// Policy `id`, or nil.
    static func find(_ id: SLAPolicyID, _ db: Connection) throws -> SLAPolicy? {
        try db.first("SELECT \(columns) FROM sla_policies WHERE id = ?", [.integer(id.rawValue)]).map(policy)
    }

    /// Policy `id` or `.notFound`.
    static func load(_ id: SLAPolicyID, _ db: Connection) throws -> SLAPolicy {
        guard let found = try find(id, db) else { throw DomainError.notFound("SLA policy") }
        return found
    }

    /// The default policy, or nil when none is marked (no SLA for new tickets).
    static func defaultPolicy(_ db: Connection) throws -> SLAPolicy? {
        try db.first("SELECT \(columns) FROM sla_policies WHERE is_default = 1").map(policy)
    }

    /// Inserts a validated draft; returns the new id. A duplicate name is `.conflict`.
    static func insert(_ draft: SLAPolicyDraft, at: Date, _ db: Connection) throws -> SLAPolicyID {
        try unique(draft.name, except: nil, db)
        let insertedID = try db.insert("""
            INSERT INTO sla_policies (name, fr_urgent, fr_high, fr_medium, fr_low, res_urgent, res_high, res_medium, res_low,
                nr_urgent, nr_high, nr_medium, nr_low, start_minute, end_minute, weekdays, time_zone, holidays,
                warning_percent, is_default, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, values(draft) + [.date(at), .date(at)])
        return SLAPolicyID(insertedID)
    }

    /// Overwrites policy `id` with a validated draft. A duplicate name is `.conflict`.
    static func update(_ id: SLAPolicyID, _ draft: SLAPolicyDraft, at: Date, _ db: Connection) throws {
        try unique(draft.name, except: id, db)
        try db.run("""
            UPDATE sla_policies SET name = ?, fr_urgent = ?, fr_high = ?, fr_medium = ?, fr_low = ?, res_urgent = ?,
                res_high = ?, res_medium = ?, res_low = ?, nr_urgent = ?, nr_high = ?, nr_medium = ?, nr_low = ?,
                start_minute = ?, end_minute = ?, weekdays = ?, time_zone = ?, holidays = ?, warning_percent = ?,
                is_default = ?, updated_at = ?
            WHERE id = ?
            """, values(draft) + [.date(at), .integer(id.rawValue)])
    }

    /// Clears the default mark from every policy but `id` (before marking `id`).
    static func clearDefault(except id: SLAPolicyID?, _ db: Connection) throws {
        try db.run("UPDATE sla_policies SET is_default = 0 WHERE is_default = 1 AND (CAST(? AS BIGINT) IS NULL OR id <> ?)",
                   [.optional(id?.rawValue), .optional(id?.rawValue)])
    }

    /// Deletes policy `id`.
    static func delete(_ id: SLAPolicyID, _ db: Connection) throws {
        try db.run("DELETE FROM sla_policies WHERE id = ?", [.integer(id.rawValue)])
    }

    /// `.conflict` when another policy has `name` in any case (`lower` on both sides folds
    /// case as the column's NOCASE collation does, on either database).
    private static func unique(_ name: String, except id: SLAPolicyID?, _ db: Connection) throws {
        if try db.first("SELECT 1 FROM sla_policies WHERE lower(name) = lower(?) AND (CAST(? AS BIGINT) IS NULL OR id <> ?)",
                        [.text(name), .optional(id?.rawValue), .optional(id?.rawValue)]) != nil {
            throw DomainError(.conflict, "A policy named \"\(name)\" already exists.", field: "name")
        }
    }

    private static func values(_ d: SLAPolicyDraft) -> [SQLValue] {
        let next: [SQLValue] = TicketPriority.allCases.map { p in d.nextResponse.map { .int($0[p]) } ?? .null }
        return [.text(d.name)] + TicketPriority.allCases.map { .int(d.firstResponse[$0]) }
            + TicketPriority.allCases.map { .int(d.resolution[$0]) } + next
            + [.int(d.hours.start.minutes), .int(d.hours.end.minutes), .int(d.hours.weekdayBits), .text(d.timeZoneID),
               .text(d.holidays.map(\.description).joined(separator: String(holidaySeparator))),
               .int(d.warningPercent), .bool(d.isDefault)]
    }

    private static func targets(_ row: Row, from index: Int) -> PriorityTargets {
        PriorityTargets(urgent: row.int(index), high: row.int(index + 1), medium: row.int(index + 2), low: row.int(index + 3))
    }

    private static func policy(_ row: Row) -> SLAPolicy {
        let minutes = { (index: Int) in TimeOfDay(hour: row.int(index) / TimeOfDay.minutesPerHour, minute: row.int(index) % TimeOfDay.minutesPerHour)! }
        return SLAPolicy(
            id: SLAPolicyID(row.int64(0)), name: row.text(1), firstResponse: targets(row, from: 2),
            resolution: targets(row, from: 6), nextResponse: row.optionalInt64(10) == nil ? nil : targets(row, from: 10),
            hours: BusinessHours(start: minutes(14), end: minutes(15), weekdays: BusinessHours.weekdays(bits: row.int(16))),
            timeZoneID: row.text(17),
            holidays: row.text(18).split(separator: holidaySeparator).compactMap { LocalDate(iso: String($0)) },
            warningPercent: row.int(19), isDefault: row.bool(20), createdAt: row.date(21), updatedAt: row.date(22))
    }
}

