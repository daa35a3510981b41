import Foundation
import Testing
@testable import Tickets

@Suite("ReportRange")
struct ReportRangeTests {
    let utc = TimeZone(identifier: "UTC")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func date(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
    /// The exclusive end of a range that includes `iso` (times are whole milliseconds).
    func through(_ iso: String) -> Date { date(iso).addingTimeInterval(0.001) }
    func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

    @Test("last 7 days runs from local midnight six days ago to now; the previous period is both bounds a week earlier")
    func lastSevenDays() throws {
        let r = try ReportRange.resolve(.last7Days, zone: utc, now: date("2026-03-04T12:00:00Z"))
        #expect(r.current == ReportPeriod(start: date("2026-02-26T00:00:00Z"), end: through("2026-03-04T12:00:00Z")))
        #expect(r.previous == ReportPeriod(start: date("2026-02-19T00:00:00Z"), end: through("2026-02-25T12:00:00Z")))
        #expect((r.firstDay, r.lastDay) == (day("2026-02-26"), day("2026-03-04")))
    }

    @Test("a range across a DST change keeps whole local days (New York springs forward on 2026-03-08)")
    func daylightSaving() throws {
        let r = try ReportRange.resolve(.last7Days, zone: newYork, now: date("2026-03-10T16:00:00Z"))
        #expect(r.current.start == date("2026-03-04T05:00:00Z"))  // midnight EST
        #expect(r.previous.end == through("2026-03-03T17:00:00Z"))   // noon EST a week before 12:00 EDT
        let days = r.buckets(.day)
        #expect(days.count == 7)
        #expect(days.first { $0.label == day("2026-03-08") }?.period
                == ReportPeriod(start: date("2026-03-08T05:00:00Z"), end: date("2026-03-09T04:00:00Z")))  // a 23-hour day
    }

    @Test("this month runs from the 1st to now; last month is the whole previous month, in January December")
    func months() throws {
        let now = date("2026-01-15T10:00:00Z")
        let this = try ReportRange.resolve(.thisMonth, zone: utc, now: now)
        #expect(this.current == ReportPeriod(start: date("2026-01-01T00:00:00Z"), end: through("2026-01-15T10:00:00Z")))
        #expect(this.previous == ReportPeriod(start: date("2025-12-01T00:00:00Z"), end: through("2025-12-15T10:00:00Z")))
        let last = try ReportRange.resolve(.lastMonth, zone: utc, now: now)
        #expect(last.current == ReportPeriod(start: date("2025-12-01T00:00:00Z"), end: date("2026-01-01T00:00:00Z")))
        #expect(last.previous == ReportPeriod(start: date("2025-11-01T00:00:00Z"), end: date("2025-12-01T00:00:00Z")))
        #expect(last.lastDay == day("2025-12-31"))
    }

    @Test("a custom range includes both days; the previous period is as many days before it")
    func custom() throws {
        let r = try ReportRange.resolve(.custom, from: day("2026-03-02"), to: day("2026-03-08"), zone: utc, now: date("2026-03-04T12:00:00Z"))
        #expect(r.current == ReportPeriod(start: date("2026-03-02T00:00:00Z"), end: date("2026-03-09T00:00:00Z")))
        #expect(r.previous == ReportPeriod(start: date("2026-02-23T00:00:00Z"), end: date("2026-03-02T00:00:00Z")))
    }

    @Test("a custom range without days, reversed, or longer than a year is refused naming the field")
    func customRefusals() {
        let now = date("2026-03-04T12:00:00Z")
        func field(_ from: LocalDate?, _ to: LocalDate?) -> String? {
            do { _ = try ReportRange.resolve(.custom, from: from, to: to, zone: utc, now: now); return nil }
            catch let error as DomainError { return error.field } catch { return "other" }
        }
        #expect(field(nil, day("2026-03-01")) == "from")
        #expect(field(day("2026-03-01"), nil) == "to")
        #expect(field(day("2026-03-02"), day("2026-03-01")) == "to")
        #expect(field(day("2025-01-01"), day("2026-01-02")) == "to")  // 367 days
        #expect(field(day("2025-01-01"), day("2026-01-01")) == nil)   // 366 days
    }

    @Test("weeks start on Monday and months on the 1st, the first and last clipped to the range")
    func weeksAndMonths() throws {
        let r = try ReportRange.resolve(.custom, from: day("2026-03-04"), to: day("2026-04-07"), zone: utc, now: date("2026-05-01T00:00:00Z"))
        let weeks = r.buckets(.week)
        #expect(weeks.map(\.label.description) == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"])
        #expect(weeks[0].period.start == date("2026-03-04T00:00:00Z"))
        #expect(weeks[5].period.end == date("2026-04-08T00:00:00Z"))
        let months = r.buckets(.month)
        #expect(months.map(\.label.description) == ["2026-03-01", "2026-04-01"])
        #expect(months[1].period == ReportPeriod(start: date("2026-04-01T00:00:00Z"), end: date("2026-04-08T00:00:00Z")))
    }
}
