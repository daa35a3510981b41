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
