import Foundation
import Testing
@testable import Tickets

@Suite("CSAT surveys")
struct SurveyTests {
    func surveys(_ fixture: Fixture) -> SurveyService {
        SurveyService(database: fixture.database, key: AccessLinkKey(bytes: Array(repeating: 3, count: 32)), now: fixture.clock.clock)
    }

    /// Feeds every event after `from` to the consumer, as the relay would; returns the new position.
    @discardableResult
    func deliver(_ consumer: SurveyConsumer, _ fixture: Fixture, from: Int64 = 0) async throws -> Int64 {
        let head = try await fixture.database.eventLogHead()
        let events = try await fixture.database.events(upTo: head, limit: 10_000).filter { $0.id > from }
        try await consumer.handle(events, through: head)
        return head
    }

    func setStatus(_ fixture: Fixture, _ ticket: TicketID, _ status: TicketStatus, by actor: Actor) async throws {
        let current = try await fixture.tickets.ticket(ticket, for: actor)
        _ = try await fixture.tickets.updateTicket(ticket, expectedVersion: current.version, TicketPatch(status: status), by: actor)
    }

    @Test("a resolution creates a survey for the resolving agent; one answer per survey, changeable (audited and logged each time) until expiry")
    func resolveAndRate() async throws {
        let fixture = try Fixture()
        let service = surveys(fixture)
        let consumer = SurveyConsumer(surveys: service)
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket(by: agent)
        try await setStatus(fixture, ticket.id, .resolved, by: agent)
        try await deliver(consumer, fixture)
        let survey = try #require(try await service.currentSurvey(of: ticket.id))
        #expect(survey.0.status == .pending && survey.0.resolvedBy == agent.agentID)
        #expect(survey.0.expiresAt == fixture.clock.now().addingTimeInterval(7 * 86_400))
        let token = try #require(survey.1)
        let rated = try await service.rate(token: token, rating: 5, comment: " Great ")
        #expect(rated.status == .answered && rated.rating == 5 && rated.comment == "Great")
        let changed = try await service.rate(token: token, rating: 2, comment: "Broke again")
        #expect(changed.id == rated.id && changed.rating == 2 && changed.comment == "Broke again")
        // The same answer again changes nothing and logs nothing.
        _ = try await service.rate(token: token, rating: 2, comment: "Broke again")
        fixture.clock.advance(7 * 86_400)
        #expect(await domainError(.conflict) { _ = try await service.rate(token: token, rating: 4, comment: nil) } != nil)
        #expect(try await service.open(token: token).0.rating == 2)
        let logged = try await fixture.database.events(upTo: try await fixture.database.eventLogHead(), limit: 100)
        let kinds = logged.compactMap { entry -> String? in
            guard case .survey(let event) = entry.event else { return nil }
            return switch event {
            case .created: "created"
            case .rated: "rated"
            case .cancelled: "cancelled"
            case .sent: "sent"
            case .answerChanged(_, let previous): "changed from \(previous)"
            }
        }
        #expect(kinds == ["created", "rated", "changed from 5"])
        let actions = try await fixture.tickets.timeline(ticket.id, for: agent).map(\.action)
        #expect(actions.filter { $0 == .surveyCreated || $0 == .surveyRated || $0 == .surveyAnswerChanged }
                == [.surveyCreated, .surveyRated, .surveyAnswerChanged])
    }

    @Test("reopening before an answer cancels the survey; closing keeps it")
    func reopenAndClose() async throws {
        let fixture = try Fixture()
        let service = surveys(fixture)
        let consumer = SurveyConsumer(surveys: service)
        let agent = try await fixture.agent()
        let first = try await fixture.ticket(by: agent)
        let second = try await fixture.ticket("Second", by: agent)
        try await setStatus(fixture, first.id, .resolved, by: agent)
        try await setStatus(fixture, second.id, .resolved, by: agent)
        let position = try await deliver(consumer, fixture)
        try await setStatus(fixture, first.id, .open, by: agent)
        try await setStatus(fixture, second.id, .closed, by: agent)
        try await deliver(consumer, fixture, from: position)
        #expect(try await service.surveys(of: first.id, for: agent).map(\.status) == [.cancelled])
        #expect(try await service.surveys(of: second.id, for: agent).map(\.status) == [.pending])
    }

    @Test("an unanswered survey reads expired after its week and refuses a rating")
    func expiry() async throws {
        let fixture = try Fixture()
        let service = surveys(fixture)
        let agent = try await fixture.agent()
        let ticket = try await fixture.ticket(by: agent)
        try await setStatus(fixture, ticket.id, .resolved, by: agent)
        try await deliver(SurveyConsumer(surveys: service), fixture)
        let token = try #require(try await service.currentSurvey(of: ticket.id)?.1)
        fixture.clock.advance(7 * 86_400)
        #expect(try await service.open(token: token).0.status == .expired)
        #expect(await domainError(.conflict) { _ = try await service.rate(token: token, rating: 3, comment: nil) } != nil)
    }

    @Test("ratings out of range, long comments and unknown tokens are refused")
    func validation() async throws {
        let fixture = try Fixture()
        let service = surveys(fixture)
        #expect(await domainError(.validation) { _ = try await service.rate(token: "x", rating: 6, comment: nil) }?.field == "rating")
        #expect(await domainError(.validation) {
            _ = try await service.rate(token: "x", rating: 3, comment: String(repeating: "a", count: 2_001))
        }?.field == "comment")
        #expect(await domainError(.notFound) { _ = try await service.rate(token: "x", rating: 3, comment: nil) } != nil)
    }
}

@Suite("CSAT survey settings")
struct SurveySettingsTests {
    @Test("off: a resolution gets no survey; the expiry and question apply to new surveys")
    func settingsApply() async throws {
        let fixture = try Fixture()
        let service = SurveyService(database: fixture.database, key: AccessLinkKey(bytes: Array(repeating: 3, count: 32)), now: fixture.clock.clock)
        let consumer = SurveyConsumer(surveys: service)
        let admin = try await fixture.agent()
        let helper = SurveyTests()
        _ = try await service.updateSettings(SurveySettings(enabled: false, expiryDays: 3, question: "Q?"), by: admin)
        let quiet = try await fixture.ticket(by: admin)
        try await helper.setStatus(fixture, quiet.id, .resolved, by: admin)
        let position = try await helper.deliver(consumer, fixture)
        #expect(try await service.surveys(of: quiet.id, for: admin).isEmpty)
        _ = try await service.updateSettings(SurveySettings(enabled: true, expiryDays: 3, question: "  Did we help?  "), by: admin)
        let asked = try await fixture.ticket("Asked", by: admin)
        try await helper.setStatus(fixture, asked.id, .resolved, by: admin)
        try await helper.deliver(consumer, fixture, from: position)
        let survey = try #require(try await service.surveys(of: asked.id, for: admin).first)
        #expect(survey.question == "Did we help?" && survey.expiresAt == fixture.clock.now().addingTimeInterval(3 * 86_400))
    }

    @Test("settings are validated and need account.manage")
    func validation() async throws {
        let fixture = try Fixture()
        let service = SurveyService(database: fixture.database, key: AccessLinkKey(bytes: Array(repeating: 3, count: 32)), now: fixture.clock.clock)
        let agent = try await fixture.agent("Vic", role: .agent)
        #expect(await domainError(.forbidden) { _ = try await service.updateSettings(SurveySettings(enabled: true, expiryDays: 7, question: "Q"), by: agent) } != nil)
        #expect(await domainError(.validation) { _ = try await service.updateSettings(SurveySettings(enabled: true, expiryDays: 0, question: "Q"), by: .system) }?.field == "expiryDays")
        #expect(await domainError(.validation) { _ = try await service.updateSettings(SurveySettings(enabled: true, expiryDays: 7, question: " "), by: .system) }?.field == "question")
        #expect(await domainError(.validation) {
            _ = try await service.updateSettings(SurveySettings(enabled: true, expiryDays: 7, question: "Q", delayMinutes: 10_081), by: .system)
        }?.field == "delayMinutes")
        let saved = try await service.updateSettings(SurveySettings(enabled: true, expiryDays: 7, question: "Q", delayMinutes: 0), by: .system)
        let reread = try await service.settings()
        #expect(saved.delayMinutes == 0 && reread.delayMinutes == 0)
    }
}

@Suite("CSAT notifications")
struct SurveyNotificationTests {
    @Test("a rating notifies the resolver and the assignee once each; a low score leads the title")
    func drafts() {
        let ticket = Ticket(id: TicketID(9), number: 9, subject: "Printer", description: "", status: .resolved, priority: .medium,
                            category: .general, channel: .web, dueAt: nil, requesterID: ContactID(1), assigneeID: AgentID(2), tags: [],
                            createdAt: Date(), updatedAt: Date(), firstResponseAt: nil, resolvedAt: nil, closedAt: nil, version: 1)
        func survey(_ rating: Int?, resolvedBy: AgentID?) -> Survey {
            Survey(id: 1, ticketID: ticket.id, status: .answered, resolvedBy: resolvedBy, createdAt: Date(), expiresAt: Date(),
                   rating: rating, comment: nil, answeredAt: Date(), question: "Q")
        }
        let low = NotificationRules.drafts(forRating: survey(2, resolvedBy: AgentID(3)), ticket)
        #expect(low.map(\.recipient) == [AgentID(3), AgentID(2)] && low.allSatisfy { $0.title.hasPrefix("Low rating: 2 of 5") })
        let high = NotificationRules.drafts(forRating: survey(3, resolvedBy: AgentID(2)), ticket)
        #expect(high.map(\.recipient) == [AgentID(2)] && high[0].title.hasPrefix("Rated 3 of 5"))
        #expect(NotificationRules.drafts(forRating: survey(nil, resolvedBy: AgentID(2)), ticket).isEmpty)
    }
}
