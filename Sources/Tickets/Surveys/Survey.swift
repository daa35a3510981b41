import Foundation

/// Where a CSAT survey stands. An unanswered survey past its expiry is `expired` when read.
public enum SurveyStatus: String, Sendable, Codable {
    case pending, answered, cancelled, expired
}

/// A satisfaction survey of one resolution of a ticket.
public struct Survey: Sendable, Equatable, Codable {
    public let id: Int64
    public let ticketID: TicketID
    public let status: SurveyStatus
    /// The agent who resolved the ticket (nil: the system, or the agent was deleted).
    public let resolvedBy: AgentID?
    public let createdAt: Date
    public let expiresAt: Date
    /// 1 to 5 once answered.
    public let rating: Int?
    public let comment: String?
    public let answeredAt: Date?
    /// The question as it was asked.
    public let question: String
}

/// The account's survey settings: whether resolutions get a survey, how long after the
/// resolution its email leaves, how long one stays open, and the question new surveys ask.
public struct SurveySettings: Sendable, Equatable {
    public let enabled: Bool
    public let expiryDays: Int
    public let question: String
    /// Minutes between the resolution and the survey email (the survey itself exists at once).
    public let delayMinutes: Int

    public init(enabled: Bool, expiryDays: Int, question: String, delayMinutes: Int = defaultDelayMinutes) {
        self.enabled = enabled
        self.expiryDays = expiryDays
        self.question = question
        self.delayMinutes = delayMinutes
    }

    /// A day to a quarter: shorter misses a weekend away, longer rates a forgotten resolution.
    public static let expiryDaysRange = 1...90
    /// One sentence.
    public static let maxQuestionCharacters = 300
    /// At once to a week: a survey asked later than that is about a resolution long forgotten
    /// (and a week is still inside the shortest useful expiry plus a weekend).
    public static let delayMinutesRange = 0...10_080
    /// An hour: a requester who reopens at once ("that did not work") cancels the survey
    /// before it is asked.
    public static let defaultDelayMinutes = 60

    static func load(_ db: Connection) throws -> SurveySettings {
        guard let row = try db.first("SELECT enabled, expiry_days, question, delay_minutes FROM survey_settings WHERE id = 1") else {
            preconditionFailure("migration 19 inserts the survey settings row")
        }
        return SurveySettings(enabled: row.bool(0), expiryDays: row.int(1), question: row.text(2), delayMinutes: row.int(3))
    }
}

/// What happened to a survey (the log's `survey.created`, `survey.rated`, `survey.cancelled`,
/// `survey.sent`, `survey.answer_changed`). `survey.created` queues the survey email: the
/// outbox reads it and the sender asks
/// `SurveyService.surveyToken` for the link to send.
public enum SurveyEvent: Sendable, Equatable {
    case created(Survey)
    case rated(Survey)
    case cancelled(Survey)
    /// The survey email was accepted by the mail server.
    case sent(Survey)
    /// The requester changed their answer (before the survey expired).
    case answerChanged(Survey, previousRating: Int)

    public var survey: Survey {
        switch self {
        case .created(let s), .rated(let s), .cancelled(let s), .sent(let s), .answerChanged(let s, _): s
        }
    }
}

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
}
