import Foundation
import Testing
@testable import Tickets

/// The daily roll-up answers exactly what the plain queries answer, on the hand-computed
/// week (`ReportServiceTests.Week`, whose figures those tests check by hand), whether the
/// consumer has handled all of the log, part of it or none (the read corrects for the rest),
/// after a rebuild, and for ranges whose ends cut UTC days (a half-hour zone, "now").
@Suite("Report roll-up")
struct ReportRollupTests {
    /// The week with its CSAT ratings, and ranges that cut UTC days in several ways.
    static func ranges(_ week: ReportServiceTests.Week) throws -> [ReportRange] {
        let kolkata = TimeZone(identifier: "Asia/Kolkata")!, now = week.f.clock.now()
        return [
            try ReportRange.resolve(.custom, from: LocalDate(iso: "2026-03-02"), to: LocalDate(iso: "2026-03-08"), zone: .gmt, now: now),
            try ReportRange.resolve(.custom, from: LocalDate(iso: "2026-02-24"), to: LocalDate(iso: "2026-03-03"), zone: kolkata, now: now),
            try ReportRange.resolve(.last7Days, zone: kolkata, now: now),
            try ReportRange.resolve(.thisMonth, zone: .gmt, now: now),
            try ReportRange.resolve(.last30Days, zone: TimeZone(identifier: "America/New_York")!, now: now),
        ]
    }

    /// Every section through the roll-up equals every section through the plain queries.
    static func expectSame(_ week: ReportServiceTests.Week, _ comment: String) async throws {
        let plain = ReportService(database: week.f.database, now: week.f.clock.clock, useRollup: false)
        for range in try ranges(week) {
            for interval in ReportInterval.allCases {
                let rolled = try await week.reports.fullReport(range, interval: interval, for: .system)
                let expected = try await plain.fullReport(range, interval: interval, for: .system)
                #expect(rolled == expected, "\(comment): \(range.firstDay)...\(range.lastDay) \(range.timeZoneID) by \(interval)")
            }
        }
    }

    static func usesRollup(_ database: Database) async throws -> Bool {
        try await database.read { db in try RollupView.open(db) != nil }
    }

    static func daily(_ database: Database) async throws -> [String] {
        try await database.read { db in
            try db.query("SELECT day, measure, key, n, total FROM report_daily WHERE n != 0 OR total != 0 ORDER BY 1, 2, 3")
                .map { "\($0.int64(0)) \($0.text(1)) \($0.text(2)) \($0.int64(3)) \($0.int64(4))" }
        }
    }

    @Test("with no event handled yet, the read corrects for every ticket the log names")
    func correctedRead() async throws {
        let (week, _) = try await ReportCSATTests.ratedWeek()
        #expect(try await Self.usesRollup(week.f.database))
        #expect(try await Self.daily(week.f.database).isEmpty)  // migrated before any ticket existed
        try await Self.expectSame(week, "nothing handled")
    }

    @Test("after the consumer handled part of the log and then all of it, the figures are the same")
    func consumed() async throws {
        let (week, _) = try await ReportCSATTests.ratedWeek()
        let database = week.f.database
        let head = try await database.eventLogHead()
        let events = try await database.events(upTo: head, limit: 10_000)
        let consumer = ReportRollupConsumer(database: database)
        let half = events.count / 2
        try await consumer.handle(Array(events[..<half]), through: events[half - 1].id)
        try await Self.expectSame(week, "half handled")
        try await consumer.handle(Array(events[half...]), through: head)
        #expect(try await database.read { db in try EventLog.cursor(ReportRollup.consumer, db) } == head)
        #expect(try await !Self.daily(database).isEmpty)
        try await Self.expectSame(week, "all handled")
    }

    @Test("handling a batch again changes nothing; a rebuild from the rows gives the same table")
    func idempotentAndRebuilt() async throws {
        let week = try ReportServiceTests.Week()
        try await week.build()
        let database = week.f.database
        let head = try await database.eventLogHead()
        let events = try await database.events(upTo: head, limit: 10_000)
        let consumer = ReportRollupConsumer(database: database)
        try await consumer.handle(events, through: head)
        let once = try await Self.daily(database)
        try await consumer.handle(events, through: head)
        #expect(try await Self.daily(database) == once)
        try await ReportRollupConsumer.rebuild(database)
        #expect(try await Self.daily(database) == once)
        try await Self.expectSame(week, "rebuilt")
    }

    @Test("a merge refreshes the secondary too, and a deletion removes the ticket's contribution")
    func mergeAndDelete() async throws {
        let f = try Fixture()
        let consumer = ReportRollupConsumer(database: f.database)
        let a = try await f.ticket("A"), b = try await f.ticket("B"), c = try await f.ticket("C")
        func deliver() async throws {
            let head = try await f.database.eventLogHead()
            let cursor = try await f.database.read { db in try EventLog.cursor(ReportRollup.consumer, db) } ?? 0
            try await consumer.handle(try await f.database.events(upTo: head, limit: 10_000).filter { $0.id > cursor }, through: head)
        }
        func created() async throws -> Int {
            try await f.database.read { db in try db.first("SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM report_daily WHERE measure = 'created'")?.int(0) ?? 0 }
        }
        try await deliver()
        #expect(try await created() == 3)
        _ = try await f.tickets.mergeTickets(into: a.id, secondaries: [b.id], by: .system)
        _ = try await f.tickets.deleteTicket(c.id, by: .system)
        try await deliver()
        #expect(try await created() == 1)
        #expect(try await f.database.read { db in try db.first("SELECT COUNT(*) FROM report_facts")?.int(0) } == 2)
    }

    @Test("a period splits into whole UTC days and the partial days at either end")
    func split() {
        let day = 86_400.0
        let (days, edges) = ReportSource.split(ReportPeriod(start: Date(timeIntervalSince1970: 2 * day - 19_800),
                                                            end: Date(timeIntervalSince1970: 5 * day + 60)))
        #expect(days == 2..<5)
        #expect(edges == [ReportPeriod(start: Date(timeIntervalSince1970: 2 * day - 19_800), end: Date(timeIntervalSince1970: 2 * day)),
                          ReportPeriod(start: Date(timeIntervalSince1970: 5 * day), end: Date(timeIntervalSince1970: 5 * day + 60))])
        let inside = ReportSource.split(ReportPeriod(start: Date(timeIntervalSince1970: day + 1), end: Date(timeIntervalSince1970: 2 * day - 1)))
        #expect(inside.days.isEmpty && inside.edges.count == 1)
        let whole = ReportSource.split(ReportPeriod(start: Date(timeIntervalSince1970: day), end: Date(timeIntervalSince1970: 3 * day)))
        #expect(whole.days == 1..<3 && whole.edges.isEmpty)
    }
}
