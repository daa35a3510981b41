import Foundation
import Realtime
import Tickets

/// CSAT surveys: the public survey page's routes (opened by the `Survey-Token` header, rate
/// limited and spam-checked like the portal) and the agents' reads (a ticket's surveys, and
/// the answered ones for reports).
enum SurveyRoutes {
    static let tokenHeader = "Survey-Token"
    /// An answer is a rating, a 2,000-character comment and the spam fields: 16 KiB is
    /// plenty, and a public form must not take the server's 12 MB upload size.
    static let maxAnswerBytes = 16 * 1024

    static func register(_ routes: APIRoutes, throttle: PortalThrottle) {
        let services = routes.services
        let surveys = services.surveys
        let settings = AccountSettingsService(database: services.database, now: services.now)
        let open: @Sendable (String) async throws -> (Survey, Ticket) = { try await surveys.open(token: $0) }
        PortalRoutes.tokenRoute(routes, throttle, .get, "/api/surveys/current", header: tokenHeader, open: open) { opened, _ in
            try JSONBody.response(SurveyPageJSON(opened.0, opened.1, account: try await settings.settings(), now: services.now()))
        }
        PortalRoutes.tokenRoute(routes, throttle, .post, "/api/surveys/current", header: tokenHeader, open: open) { opened, http in
            guard http.body.count <= maxAnswerBytes else {
                throw ProblemError(status: .contentTooLarge, detail: "An answer is at most \(maxAnswerBytes / 1024) KiB.")
            }
            let body = try JSONBody.decode(SurveyAnswerBody.self, from: http)
            switch try PublicFormGuard.check(body.guardFields, captcha: services.captcha) {
            case .pass: break
            case .quietlyDrop:
                throttle.refused(address: routes.trustedProxies.clientAddress(of: http))
                return PublicFormGuard.quietAnswer
            }
            let answered = try await surveys.rate(token: http.headers[tokenHeader] ?? "", rating: body.rating, comment: body.comment)
            return try JSONBody.response(SurveyPageJSON(answered, opened.1, account: try await settings.settings(), now: services.now()))
        }
        routes.api(.get, "/api/survey-settings", permission: nil) { _ in
            try JSONBody.response(SurveySettingsJSON(try await surveys.settings()))
        }
        routes.api(.put, "/api/survey-settings", permission: .accountManage) { request in
            let body = try request.decode(SurveySettingsBody.self)
            let current = try await surveys.settings().delayMinutes
            let delay = body.delayMinutes ?? current
            let saved = try await surveys.updateSettings(SurveySettings(enabled: body.enabled, expiryDays: body.expiryDays, question: body.question,
                                                                        delayMinutes: delay),
                                                         by: request.actor)
            return try JSONBody.response(SurveySettingsJSON(saved))
        }
        routes.api(.get, "/api/tickets/:id/surveys", permission: .ticketView) { request in
            let list = try await surveys.surveys(of: TicketID(try request.id("id")), for: request.actor)
            let people = try await PeopleDirectory.load(services, contacts: [])
            return try JSONBody.response(SurveyListJSON(surveys: list.map { SurveyJSON($0, people) }, next: nil))
        }
        routes.api(.get, "/api/surveys", permission: .reportsView) { request in
            let http = request.http
            let from = try http.queryValue("from").map { try APIDate.parse($0, field: "from") }
            let to = try http.queryValue("to").map { try APIDate.parse($0, field: "to") }
            let agent = try APIQuery.position(http.queryValue("agentId"), field: "agentId").map(AgentID.init)
            let after = try APIQuery.position(http.queryValue("after"), field: "after")
            let limit = try APIQuery.limit(http.queryValue("limit"), default: 100, max: SurveyService.maxRatingsPage)
            let list = try await surveys.ratings(from: from, to: to, agent: agent, after: after, limit: limit, for: request.actor)
            let people = try await PeopleDirectory.load(services, contacts: [])
            return try JSONBody.response(SurveyListJSON(surveys: list.map { SurveyJSON($0, people) },
                                                        next: list.count == limit ? list.last?.id : nil))
        }
    }
}

/// `{enabled, delayMinutes, expiryDays, question}`: the survey settings.
struct SurveySettingsJSON: Encodable {
    let enabled: Bool
    let delayMinutes: Int
    let expiryDays: Int
    let question: String

    init(_ settings: SurveySettings) {
        enabled = settings.enabled
        delayMinutes = settings.delayMinutes
        expiryDays = settings.expiryDays
        question = settings.question
    }
}

/// The settings to store; without `delayMinutes` the delay stays as it is.
struct SurveySettingsBody: Decodable {
    let enabled: Bool
    let delayMinutes: Int?
    let expiryDays: Int
    let question: String
}

/// `{rating, comment?, website?, captchaChallenge, captchaNonce}`.
struct SurveyAnswerBody: Decodable {
    let rating: Int
    let comment: String?
    let website: String?
    let captchaChallenge: String?
    let captchaNonce: String?

    var guardFields: [String: String] {
        var fields: [String: String] = [:]
        fields[PublicFormGuard.honeypotField] = website
        fields[PublicFormGuard.challengeField] = captchaChallenge
        fields[PublicFormGuard.nonceField] = captchaNonce
        return fields
    }
}

/// The survey page: what it asks about and where the survey stands.
struct SurveyPageJSON: Encodable {
    let reference: String
    let subject: String
    let question: String
    let status: String
    let expiresAt: Date
    @Nullable var rating: Int?
    @Nullable var comment: String?
    /// True while an answer may be given or changed (pending or answered, not yet expired).
    let changeable: Bool
    let maxCommentCharacters = SurveyService.maxCommentCharacters
    let account: PortalAccountJSON

    init(_ survey: Survey, _ ticket: Ticket, account: AccountSettings, now: Date) {
        changeable = (survey.status == .pending || survey.status == .answered) && survey.expiresAt > now
        reference = ticket.reference
        subject = ticket.subject
        question = survey.question
        status = survey.status.rawValue
        expiresAt = survey.expiresAt
        rating = survey.rating
        comment = survey.comment
        self.account = PortalAccountJSON(name: account.name, logoUrl: account.logoContentType == nil ? nil : "/api/portal/logo")
    }
}

/// A survey as agents and reports see it.
struct SurveyJSON: Encodable {
    let id: Int64
    let ticketId: Int64
    let status: String
    @Nullable var resolvedBy: AgentRefJSON?
    let createdAt: Date
    let expiresAt: Date
    @Nullable var rating: Int?
    @Nullable var comment: String?
    @Nullable var answeredAt: Date?

    init(_ survey: Survey, _ people: PeopleDirectory) {
        id = survey.id
        ticketId = survey.ticketID.rawValue
        status = survey.status.rawValue
        resolvedBy = people.agent(survey.resolvedBy)
        createdAt = survey.createdAt
        expiresAt = survey.expiresAt
        rating = survey.rating
        comment = survey.comment
        answeredAt = survey.answeredAt
    }
}

struct SurveyListJSON: Encodable {
    let surveys: [SurveyJSON]
    /// Pass as `after` for the next page; null on the last.
    @Nullable var next: Int64?
}
