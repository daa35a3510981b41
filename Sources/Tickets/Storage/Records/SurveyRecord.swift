import Foundation

/// The `csat_surveys` rows, on the caller's connection.
enum SurveyRecord {
    static let columns = """
        id, ticket_id, status, resolved_by_agent_id, created_at, expires_at, rating, comment, answered_at, nonce, token_hash, question
        """

    static func insert(ticket: TicketID, resolvedBy: AgentID?, nonce: [UInt8], tokenHash: [UInt8], at: Date, expiresAt: Date,
                       question: String, _ db: Connection) throws -> Survey {
        let insertedID = try db.insert("""
            INSERT INTO csat_surveys (ticket_id, token_hash, nonce, status, resolved_by_agent_id, created_at, expires_at, question)
            VALUES (?, ?, ?, 'pending', ?, ?, ?, ?)
            """, [.integer(ticket.rawValue), .blob(tokenHash), .blob(nonce), .optional(resolvedBy?.rawValue), .date(at), .date(expiresAt),
                  .text(question)])
        return Survey(id: insertedID, ticketID: ticket, status: .pending, resolvedBy: resolvedBy, createdAt: at,
                      expiresAt: expiresAt, rating: nil, comment: nil, answeredAt: nil, question: question)
    }

    static func find(hash: [UInt8], _ db: Connection) throws -> Row? {
        try db.first("SELECT \(columns) FROM csat_surveys WHERE token_hash = ?", [.blob(hash)])
    }

    static func find(id: Int64, _ db: Connection) throws -> Row? {
        try db.first("SELECT \(columns) FROM csat_surveys WHERE id = ?", [.integer(id)])
    }

    /// The surveys of `ticket`, oldest first.
    static func forTicket(_ ticket: TicketID, _ db: Connection) throws -> [Row] {
        try db.query("SELECT \(columns) FROM csat_surveys WHERE ticket_id = ? ORDER BY id", [.integer(ticket.rawValue)])
    }

    /// The pending surveys of `ticket`.
    static func pending(_ ticket: TicketID, _ db: Connection) throws -> [Row] {
        try db.query("SELECT \(columns) FROM csat_surveys WHERE ticket_id = ? AND status = 'pending' ORDER BY id",
                     [.integer(ticket.rawValue)])
    }

    static func setStatus(_ id: Int64, _ status: SurveyStatus, _ db: Connection) throws {
        try db.run("UPDATE csat_surveys SET status = ? WHERE id = ?", [.text(status.rawValue), .integer(id)])
    }

    static func answer(_ id: Int64, rating: Int, comment: String?, at: Date, _ db: Connection) throws {
        try db.run("UPDATE csat_surveys SET status = 'answered', rating = ?, comment = ?, answered_at = ? WHERE id = ?",
                   [.int(rating), .optional(comment), .date(at), .integer(id)])
    }

    /// The survey in `row` as of `now` (an unanswered one past its expiry reads `expired`).
    static func survey(_ row: Row, now: Date) -> Survey {
        var status = SurveyStatus(rawValue: row.text(2)) ?? .cancelled
        let expiresAt = row.date(5)
        if status == .pending, expiresAt <= now { status = .expired }
        return Survey(id: row.int64(0), ticketID: TicketID(row.int64(1)), status: status,
                      resolvedBy: row.optionalInt64(3).map(AgentID.init), createdAt: row.date(4), expiresAt: expiresAt,
                      rating: row.optionalInt64(6).map(Int.init), comment: row.optionalText(7), answeredAt: row.optionalDate(8),
                      question: row.text(11))
    }

    static func nonce(_ row: Row) -> [UInt8] { row.blob(9) }
    static func tokenHash(_ row: Row) -> [UInt8] { row.blob(10) }

    /// Stores an answered survey as the demo desk shows it.
    static func insertAnswered(ticket: TicketID, resolvedBy: AgentID?, nonce: [UInt8], tokenHash: [UInt8], createdAt: Date,
                               expiresAt: Date, rating: Int, comment: String?, answeredAt: Date, question: String,
                               _ db: Connection) throws {
        try db.run("""
            INSERT INTO csat_surveys (ticket_id, token_hash, nonce, status, resolved_by_agent_id, created_at, expires_at,
                rating, comment, answered_at, question) VALUES (?, ?, ?, 'answered', ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(ticket.rawValue), .blob(tokenHash), .blob(nonce), .optional(resolvedBy?.rawValue), .date(createdAt),
                  .date(expiresAt), .int(rating), .optional(comment), .date(answeredAt), .text(question)])
    }

    /// Answered surveys (`rating` set) answered in `from ..< to`, of tickets resolved by
    /// `agent` when given, after survey `after` in (answered_at, id) order when given, oldest
    /// answer first, at most `limit` rows.
    static func answered(from: Date, to: Date, agent: AgentID?, after: Int64?, limit: Int, _ db: Connection) throws -> [Row] {
        try db.query("""
            SELECT \(columns) FROM csat_surveys
            WHERE rating IS NOT NULL AND answered_at >= ? AND answered_at < ?
              AND (CAST(? AS BIGINT) IS NULL OR resolved_by_agent_id = ?)
              AND (CAST(? AS BIGINT) IS NULL OR (answered_at, id) > (SELECT answered_at, id FROM csat_surveys WHERE id = ?))
            ORDER BY answered_at, id LIMIT ?
            """, [.date(from), .date(to), .optional(agent?.rawValue), .optional(agent?.rawValue), .optional(after), .optional(after),
                  .int(limit)])
    }

    /// The account's survey settings (the single row migration 19 inserts).
    static func settings(_ db: Connection) throws -> SurveySettings {
        guard let row = try db.first("SELECT enabled, expiry_days, question, delay_minutes FROM survey_settings WHERE id = 1") else {
            preconditionFailure("migration 19 inserts the survey settings row")
        }
        return SurveySettings(enabled: row.bool(0), expiryDays: row.int(1), question: row.text(2), delayMinutes: row.int(3))
    }

    /// Replaces the survey settings (`settings.question` already trimmed and checked).
    static func saveSettings(_ settings: SurveySettings, at: Date, _ db: Connection) throws {
        try db.run("UPDATE survey_settings SET enabled = ?, expiry_days = ?, question = ?, delay_minutes = ?, updated_at = ? WHERE id = 1",
                   [.bool(settings.enabled), .int(settings.expiryDays), .text(settings.question), .int(settings.delayMinutes), .date(at)])
    }
}
