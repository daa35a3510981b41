import Foundation

/// CSAT surveys: created when a ticket is resolved (`SurveyConsumer`), answered once by
/// whoever holds the survey's token (1 to 5 and an optional comment), shown to agents on the
/// ticket, and listed for reports. The rating is a command: stored with its audit entry and
/// its `survey.rated` event in one transaction.
public final class SurveyService: Sendable {
    /// A comment is a few sentences; a survey is not a second reply channel.
    public static let maxCommentCharacters = 2_000
    static let purpose = "csat-survey"
    /// Ratings per page of `ratings`: a report pages through the rest.
    public static let maxRatingsPage = 1_000

    let database: Database
    let key: AccessLinkKey
    let now: Clock

    public init(database: Database, key: AccessLinkKey, now: @escaping Clock) {
        self.database = database
        self.key = key
        self.now = now
    }

    /// The answer to every survey token that opens nothing.
    static let refused = DomainError(.notFound, "This survey link is not valid.")

    /// The survey a token opens (in any state: pending, answered, expired, cancelled) and its
    /// ticket. Every token that opens nothing throws the same `.notFound` after one hash and
    /// one indexed lookup.
    public func open(token: String) async throws -> (Survey, Ticket) {
        let hash = AccessLinkToken.hash(token)
        let at = now()
        return try await database.read { db in
            guard let row = try SurveyRecord.find(hash: hash, db), let ticket = try TicketRecord.find(TicketID(row.int64(1)), db) else {
                throw Self.refused
            }
            return (SurveyRecord.survey(row, now: at), ticket)
        }
    }

    /// Answers the survey `token` opens, as the ticket's requester, or changes the answer it
    /// already has: one answer per survey, changeable until the survey expires. The first
    /// answer is audited `survey.rated` and logged as `survey.rated`; each change is audited
    /// `survey.answer_changed` (before and after) and logged as `survey.answer_changed`.
    /// Throws `.notFound` (`refused`), `.validation("rating")` outside 1 to 5,
    /// `.validation("comment")` past `maxCommentCharacters`, `.conflict` when it expired or
    /// was cancelled.
    public func rate(token: String, rating: Int, comment: String?) async throws -> Survey {
        guard (1...5).contains(rating) else { throw DomainError.validation("rating", "Choose 1 to 5 stars.") }
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let text = trimmed?.isEmpty == false ? trimmed : nil
        if let text { try TextLimit.check(text, field: "comment", max: Self.maxCommentCharacters) }
        let hash = AccessLinkToken.hash(token)
        let at = now()
        return try await database.write { db in
            guard let row = try SurveyRecord.find(hash: hash, db), let ticket = try TicketRecord.find(TicketID(row.int64(1)), db) else {
                throw Self.refused
            }
            let survey = SurveyRecord.survey(row, now: at)
            switch survey.status {
            case .pending, .answered: break
            case .expired: throw DomainError(.conflict, "This survey has expired.")
            case .cancelled: throw DomainError(.conflict, "This survey was withdrawn because the ticket was reopened.")
            }
            // An answered survey stays changeable only while it is open.
            if survey.status == .answered, survey.expiresAt <= at {
                throw DomainError(.conflict, "This survey has closed; your answer is kept. Thank you!")
            }
            try SurveyRecord.answer(survey.id, rating: rating, comment: text, at: at, db)
            let answered = SurveyRecord.survey(try SurveyRecord.find(id: survey.id, db)!, now: at)
            let actor = Actor.requester(ticket.requesterID)
            let after: AuditLog.Values = ["surveyID": .int(survey.id), "rating": .int(Int64(rating)),
                                          "comment": text.map { .string(String($0.prefix(500))) } ?? .null]
            if let previous = survey.rating {
                guard previous != rating || survey.comment != text else { return answered }
                try AuditLog.record(db, ticket: ticket.id, actor: actor, action: .surveyAnswerChanged,
                                    before: ["surveyID": .int(survey.id), "rating": .int(Int64(previous)),
                                             "comment": survey.comment.map { .string(String($0.prefix(500))) } ?? .null],
                                    after: after, at: at)
                try EventLog.append(.survey(.answerChanged(answered, previousRating: previous)), by: actor, at: at, db)
            } else {
                try AuditLog.record(db, ticket: ticket.id, actor: actor, action: .surveyRated, before: nil, after: after, at: at)
                try EventLog.append(.survey(.rated(answered)), by: actor, at: at, db)
            }
            return answered
        }
    }

    /// The surveys of ticket `id`, oldest first. Needs `ticket.view`.
    public func surveys(of id: TicketID, for viewer: Actor) async throws -> [Survey] {
        try require(.ticketView, for: viewer)
        let at = now()
        return try await database.read { db in
            _ = try TicketRecord.load(id, db)
            return try SurveyRecord.forTicket(id, db).map { SurveyRecord.survey($0, now: at) }
        }
    }

    /// The newest survey of ticket `id` that was not cancelled, with its token (nil when the
    /// key changed): what the portal links to.
    public func currentSurvey(of id: TicketID) async throws -> (Survey, String?)? {
        let at = now()
        return try await database.read { db in
            guard let row = try SurveyRecord.forTicket(id, db).last(where: { $0.text(2) != SurveyStatus.cancelled.rawValue }) else { return nil }
            return (SurveyRecord.survey(row, now: at), self.token(row))
        }
    }

    /// Survey `id` as of now (an unanswered one past its expiry reads `expired`) with its token
    /// (nil when the server's key changed), for its email; nil when the survey is gone.
    public func surveyForEmail(_ id: Int64) async throws -> (Survey, String?)? {
        let at = now()
        return try await database.read { db in
            try SurveyRecord.find(id: id, db).map { (SurveyRecord.survey($0, now: at), self.token($0)) }
        }
    }

    /// The token of survey `id` for a link (the survey email), nil when the survey is gone or
    /// the server's key changed since it was made.
    public func surveyToken(_ id: Int64) async throws -> String? {
        try await database.read { db in try SurveyRecord.find(id: id, db).flatMap(self.token) }
    }

    /// Answered surveys, oldest answer first, for reports: answered in `from ..< to`, of
    /// tickets resolved by `agent` when given, after survey id `after` (paging), at most
    /// `limit`. Needs `reports.view`.
    public func ratings(from: Date?, to: Date?, agent: AgentID?, after: Int64?, limit: Int, for viewer: Actor) async throws -> [Survey] {
        try require(.reportsView, for: viewer)
        let at = now()
        return try await database.read { db in
            try SurveyRecord.answered(from: from ?? Date(timeIntervalSince1970: 0), to: to ?? Date.distantFuture, agent: agent,
                                      after: after, limit: min(max(limit, 1), Self.maxRatingsPage), db)
                .map { SurveyRecord.survey($0, now: at) }
        }
    }

    private func token(_ row: Row) -> String? {
        let token = key.token(nonce: SurveyRecord.nonce(row), purpose: Self.purpose)
        return Crypto.constantTimeEqual(AccessLinkToken.hash(token), SurveyRecord.tokenHash(row)) ? token : nil
    }

    /// The survey settings (any agent may read them).
    public func settings() async throws -> SurveySettings {
        try await database.read { db in try SurveyRecord.settings(db) }
    }

    /// Replaces the survey settings (new surveys only; open ones keep their question, expiry
    /// and the time their email is due). Needs `account.manage`; audited and logged as
    /// `survey_settings.updated`. Throws `.validation` naming `expiryDays`, `delayMinutes` or `question`.
    public func updateSettings(_ settings: SurveySettings, by actor: Actor) async throws -> SurveySettings {
        try require(.accountManage, for: actor)
        guard SurveySettings.expiryDaysRange.contains(settings.expiryDays) else {
            throw DomainError.validation("expiryDays", "Use \(SurveySettings.expiryDaysRange.lowerBound) to \(SurveySettings.expiryDaysRange.upperBound) days.")
        }
        guard SurveySettings.delayMinutesRange.contains(settings.delayMinutes) else {
            throw DomainError.validation("delayMinutes", "Use 0 to \(SurveySettings.delayMinutesRange.upperBound) minutes (a week).")
        }
        let question = settings.question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !question.isEmpty else { throw DomainError.validation("question", "Write the question to ask.") }
        try TextLimit.check(question, field: "question", max: SurveySettings.maxQuestionCharacters)
        let at = now()
        return try await database.write { db in
            let before = try SurveyRecord.settings(db)
            try SurveyRecord.saveSettings(SurveySettings(enabled: settings.enabled, expiryDays: settings.expiryDays, question: question,
                                                         delayMinutes: settings.delayMinutes), at: at, db)
            try AuditLog.record(db, ticket: nil, actor: actor, action: .surveySettingsUpdated,
                                before: ["enabled": .bool(before.enabled), "expiryDays": .int(Int64(before.expiryDays)),
                                         "delayMinutes": .int(Int64(before.delayMinutes)), "question": .string(before.question)],
                                after: ["enabled": .bool(settings.enabled), "expiryDays": .int(Int64(settings.expiryDays)),
                                        "delayMinutes": .int(Int64(settings.delayMinutes)), "question": .string(question)],
                                at: at)
            return try SurveyRecord.settings(db)
        }
    }

    /// Creates the survey of `ticket`'s resolution (in the caller's transaction) when surveys
    /// are on, cancelling any still pending from an earlier resolution. Returns the events to log.
    func resolved(_ ticket: Ticket, by agent: AgentID?, at: Date, _ db: Connection) throws -> [SurveyEvent] {
        var events = try cancelPending(ticket.id, at: at, db)
        let settings = try SurveyRecord.settings(db)
        guard settings.enabled else { return events }
        let nonce = Crypto.randomBytes(AccessLinkToken.nonceBytes)
        let hash = AccessLinkToken.hash(key.token(nonce: nonce, purpose: Self.purpose))
        let survey = try SurveyRecord.insert(ticket: ticket.id, resolvedBy: agent, nonce: nonce, tokenHash: hash, at: at,
                                             expiresAt: at.addingTimeInterval(Double(settings.expiryDays) * 86_400),
                                             question: settings.question, db)
        try AuditLog.record(db, ticket: ticket.id, actor: .system, action: .surveyCreated, before: nil,
                            after: ["surveyID": .int(survey.id), "expiresAt": .date(survey.expiresAt)], at: at)
        events.append(.created(survey))
        return events
    }

    /// Cancels the pending surveys of `ticket` (it was reopened before an answer).
    func cancelPending(_ ticket: TicketID, at: Date, _ db: Connection) throws -> [SurveyEvent] {
        try SurveyRecord.pending(ticket, db).map { row in
            let id = row.int64(0)
            try SurveyRecord.setStatus(id, .cancelled, db)
            try AuditLog.record(db, ticket: ticket, actor: .system, action: .surveyCancelled, before: nil,
                                after: ["surveyID": .int(id)], at: at)
            return .cancelled(SurveyRecord.survey(try SurveyRecord.find(id: id, db)!, now: at))
        }
    }
}
