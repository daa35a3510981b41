import Foundation
import Testing
@testable import Tickets

/// The CSAT section on `ReportServiceTests.Week`, with the surveys its resolutions create
/// (the `surveys` consumer fed the week's log) and these ratings, worked out by hand:
///
///   T6 (resolved by Ada in the previous week) rated 4 on Fri 02-27: the previous period.
///   T7 (Bob) rated 2 Mon 12:00; T1 (Ada) rated 5 Tue 09:00; T2 (Bob) rated 4 Wed 09:00;
///   T3's second resolution (nobody assigned: Unassigned) rated 3 Thu 09:00; its first survey
///   was withdrawn by the reopening and cannot be rated.
///   Cy, who handled no ticket, is credited with a survey on T5 rated 5 Tue 10:00.
///   T4 (merged into T1) has a survey rated 1 Tue 11:00: counts nowhere.
///
/// Current period: 5 ratings, sum 19, average 3.8; scores 1..5 = 0 1 1 1 2; satisfied 3 of 5.
/// Previous period: 1 rating of 4.
@Suite("Report CSAT")
struct ReportCSATTests {
    static let key = AccessLinkKey(bytes: Array(repeating: 7, count: 32))

    /// Builds the week, its surveys and the ratings above; returns the week and Cy.
    static func ratedWeek() async throws -> (ReportServiceTests.Week, Actor) {
        let week = try ReportServiceTests.Week()
        try await week.build()
        let f = week.f
        let service = SurveyService(database: f.database, key: key, now: f.clock.clock)
        let head = try await f.database.eventLogHead()
        try await SurveyConsumer(surveys: service).handle(try await f.database.events(upTo: head, limit: 10_000), through: head)
        let cy = try await f.agent("Cy", role: .agent)
        for (name, agent) in [("T5", cy), ("T4", week.ada!)] {
            let ticket = try await f.tickets.ticket(week.ids[name]!, for: .system)
            let at = f.clock.now()
            _ = try await f.database.write { db in try service.resolved(ticket, by: agent.agentID, at: at, db) }
        }
        func rate(_ name: String, _ rating: Int, day: Int, hour: Double) async throws {
            week.at(day, hour)
            let (survey, token) = try #require(try await service.currentSurvey(of: week.ids[name]!))
            #expect(survey.status == .pending)
            _ = try await service.rate(token: try #require(token), rating: rating, comment: nil)
        }
        try await rate("T6", 4, day: -3, hour: 10)
        try await rate("T7", 2, day: 0, hour: 12)
        try await rate("T1", 5, day: 1, hour: 9)
        try await rate("T5", 5, day: 1, hour: 10)
        try await rate("T4", 1, day: 1, hour: 11)
        try await rate("T2", 4, day: 2, hour: 9)
        try await rate("T3", 3, day: 3, hour: 9)
        return (week, cy)
    }

    @Test("average, distribution and satisfied share of the ratings answered in the range, beside the previous period")
    func overall() async throws {
        let (week, _) = try await Self.ratedWeek()
        let c = try await week.reports.csat(try await week.range(), interval: .day, for: .system)
        #expect(c.ratings.current == RatingTotal(count: 5, sum: 19))
        #expect(c.ratings.current.average == 3.8)
        #expect(c.distribution == [0, 1, 1, 1, 2])
        #expect(CSATReport.satisfiedPercent(c.distribution) == 60)
        #expect(c.ratings.previous == RatingTotal(count: 1, sum: 4) && c.previousDistribution == [0, 0, 0, 1, 0])
        #expect(CSATReport.satisfiedPercent(c.previousDistribution) == 100)
    }

    @Test("scores by resolving agent, highest average first; resolutions by nobody are Unassigned")
    func byAgent() async throws {
        let (week, cy) = try await Self.ratedWeek()
        let c = try await week.reports.csat(try await week.range(), interval: .day, for: .system)
        #expect(c.agents.map(\.name) == ["Ada", "Cy", "Bob", "Unassigned"])
        #expect(c.agents.map(\.ratings) == [RatingTotal(count: 1, sum: 5), RatingTotal(count: 1, sum: 5),
                                            RatingTotal(count: 2, sum: 6), RatingTotal(count: 1, sum: 3)])
        #expect(c.agents[1].agentID == cy.agentID && c.agents[3].agentID == nil)
    }

    @Test("the trend counts and averages the ratings per local day and per week")
    func trend() async throws {
        let (week, _) = try await Self.ratedWeek()
        let days = try await week.reports.csat(try await week.range(), interval: .day, for: .system).trend
        #expect(days.map(\.ratings.count) == [1, 2, 1, 1, 0, 0, 0])
        #expect(days.map(\.ratings.average) == [2, 5, 4, 3, nil, nil, nil])
        let weeks = try await week.reports.csat(try await week.range(), interval: .week, for: .system).trend
        #expect(weeks.map(\.ratings) == [RatingTotal(count: 5, sum: 19)])
    }

    @Test("agent performance carries the average CSAT; a rated agent with no ticket handled gets a row")
    func agentPerformance() async throws {
        let (week, _) = try await Self.ratedWeek()
        let rows = try await week.reports.agents(try await week.range(), for: .system)
        #expect(rows.map(\.name) == ["Bob", "Ada", "Unassigned", "Cy"])
        #expect(rows.map(\.resolution.count) == [2, 1, 1, 0])
        #expect(rows.map(\.csat.average) == [3, 5, 3, 5])
    }

    @Test("the CSV carries the CSAT figures with two decimals and the agents' average CSAT")
    func csv() async throws {
        let (week, _) = try await Self.ratedWeek()
        let lines = try await week.reports.exportCSV(try await week.range(), interval: .day, for: .system).components(separatedBy: "\r\n")
        #expect(lines.contains("CSAT,,All ratings,Ratings,5,1"))
        #expect(lines.contains("CSAT,,All ratings,Average score,3.80,4.00"))
        #expect(lines.contains("CSAT,,All ratings,Satisfied %,60.00,100.00"))
        #expect(lines.contains("CSAT,Distribution,5 stars,Ratings,2,0"))
        #expect(lines.contains("CSAT,By agent,Bob,Average score,3.00,"))
        #expect(lines.contains("CSAT,Trend by day,2026-03-03,Average score,5.00,"))
        #expect(lines.contains("CSAT,Trend by day,2026-03-08,Average score,,"))
        #expect(lines.contains("Agent performance,,Cy,Tickets handled,0,"))
        #expect(lines.contains("Agent performance,,Cy,Average CSAT,5.00,"))
    }

    @Test("without ratings every average is absent, not zero")
    func empty() async throws {
        let week = try ReportServiceTests.Week()
        try await week.build()
        let c = try await week.reports.csat(try await week.range(), interval: .day, for: .system)
        #expect(c.ratings.current == RatingTotal() && c.ratings.current.average == nil)
        #expect(c.distribution == [0, 0, 0, 0, 0] && CSATReport.satisfiedPercent(c.distribution) == nil && c.agents.isEmpty)
    }
}
