import Foundation
import Testing
@testable import Tickets

/// A brute-force reference: walks the span minute by minute, reading each minute's wall
/// clock from Foundation's `Calendar`, and counts the minutes whose high-water wall time
/// (the latest wall reading so far) falls inside a worked shift. Independent of the
/// calendar's shift arithmetic, DST handling and week skipping.
struct MinuteReference {
    let hours: BusinessHours
    let calendar: Calendar
    let holidays: Set<LocalDate>
    static let minute: TimeInterval = 60
    /// Wall-clock history read before `from`, enough to see a preceding fall-back.
    static let lookBehind: TimeInterval = 3 * 3_600

    init(hours: BusinessHours, zone: TimeZone, holidays: Set<LocalDate>) {
        self.hours = hours
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        self.calendar = calendar
        self.holidays = holidays
    }

    /// Local minutes since 1970-01-01 00:00 wall time at `date`.
    func wallMinute(_ date: Date) -> Int {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = LocalDate(year: c.year!, month: c.month!, day: c.day!)!.dayNumber
        return day * TimeOfDay.minutesPerDay + c.hour! * TimeOfDay.minutesPerHour + c.minute!
    }

    /// True when wall minute `m` lies in the shift of its own day or the previous day.
    func isBusiness(wall m: Int) -> Bool {
        let day = CivilDays.floorDiv(m, TimeOfDay.minutesPerDay)
        for shiftDay in [day - 1, day] {
            let date = LocalDate(dayNumber: shiftDay)
            let weekday = calendar.component(.weekday, from: calendar.date(from: DateComponents(
                year: date.year, month: date.month, day: date.day, hour: 12))!)
            guard hours.weekdays.contains(Weekday(rawValue: weekday)!), !holidays.contains(date) else { continue }
            let start = shiftDay * TimeOfDay.minutesPerDay + hours.start.minutes
            if m >= start, m < start + hours.shiftSeconds / TimeOfDay.minutesPerHour { return true }
        }
        return false
    }

    /// Business minutes flags for each minute of `[from, from + count minutes)`.
    func flags(from: Date, minutes count: Int) -> [Bool] {
        var highWater = Int.min
        var t = from - Self.lookBehind
        while t < from { highWater = max(highWater, wallMinute(t)); t += Self.minute }
        var result: [Bool] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            highWater = max(highWater, wallMinute(from + Double(index) * Self.minute))
            result.append(isBusiness(wall: highWater))
        }
        return result
    }
}

/// A seeded generator of calendars and spans around DST changes.
struct CalendarCase {
    static let zones = ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kolkata"]
    /// Instants near DST changes of the zones above (2025), and ordinary days.
    static let anchors: [TimeInterval] = [
        1_741_503_600, 1_762_063_200, 1_743_296_400, 1_761_440_400,
        1_743_868_800, 1_759_593_600, 1_750_000_000, 1_735_700_000,
    ]
    static let oddTimes = ["00:00", "01:30", "02:00", "02:30", "03:00", "06:00", "08:45", "09:00", "17:00",
                           "17:30", "22:00", "23:30"]

    let hours: BusinessHours
    let zone: TimeZone
    let holidays: [LocalDate]
    let from: Date
    let minutes: Int

    init(_ random: inout SeededGenerator, maxMinutes: Int) {
        zone = TimeZone(identifier: Self.zones.randomElement(using: &random)!)!
        let start = TimeOfDay(Self.oddTimes.randomElement(using: &random)!)!
        let end = TimeOfDay(Self.oddTimes.randomElement(using: &random)!)!
        var weekdays = Set(Weekday.allCases.filter { _ in Bool.random(using: &random) })
        if weekdays.isEmpty { weekdays = [.wednesday] }
        hours = BusinessHours(start: start, end: end, weekdays: weekdays)
        let anchor = Self.anchors.randomElement(using: &random)!
        let offsetMinutes = Int.random(in: -3 * TimeOfDay.minutesPerDay...TimeOfDay.minutesPerDay, using: &random)
        let unaligned = anchor + Double(offsetMinutes) * MinuteReference.minute
        from = Date(timeIntervalSince1970: (unaligned / MinuteReference.minute).rounded(.down) * MinuteReference.minute)
        minutes = Int.random(in: 1...maxMinutes, using: &random)
        let firstDay = LocalDate(dayNumber: Int(anchor) / CivilDays.secondsPerDay - 5).dayNumber
        holidays = (0..<Int.random(in: 0...4, using: &random)).map { _ in
            LocalDate(dayNumber: firstDay + Int.random(in: 0...(maxMinutes / TimeOfDay.minutesPerDay + 10), using: &random))
        }
    }

    var calendar: BusinessCalendar { BusinessCalendar(hours: hours, zone: zone, holidays: holidays) }
    var reference: MinuteReference { MinuteReference(hours: hours, zone: zone, holidays: Set(holidays)) }
}

@Suite("BusinessCalendar")
struct BusinessCalendarTests {
    static let shortCases = 1_000
    static let longCases = 12
    static let shortSpanMinutes = 5 * TimeOfDay.minutesPerDay
    static let longSpanMinutes = 120 * TimeOfDay.minutesPerDay
    static let probesPerCase = 6
    /// 1600-01-01: Foundation switches to the Julian calendar before 1582.
    static let firstGregorianDay = -135_140

    /// Checks prefix sums and the deadline inverse of one generated case against the reference.
    func check(_ c: CalendarCase, _ random: inout SeededGenerator) {
        let flags = c.reference.flags(from: c.from, minutes: c.minutes)
        var prefix = [0]
        for flag in flags { prefix.append(prefix.last! + (flag ? 1 : 0)) }
        let calendar = c.calendar
        let label = "\(c.zone.identifier) \(c.hours.start)-\(c.hours.end) \(c.hours.weekdays.map(\.rawValue).sorted()) from \(c.from)"
        for _ in 0..<Self.probesPerCase {
            let end = Int.random(in: 0...c.minutes, using: &random)
            let got = calendar.businessSeconds(from: c.from, to: c.from + Double(end) * MinuteReference.minute)
            #expect(got == Double(prefix[end]) * MinuteReference.minute, "\(label) +\(end)m")
            let target = Int.random(in: 0...prefix[c.minutes], using: &random)
            let due = calendar.deadline(adding: Double(target) * MinuteReference.minute, from: c.from)
            let expected = target == 0 ? 0 : prefix.firstIndex(of: target)!
            #expect(due == c.from + Double(expected) * MinuteReference.minute, "\(label) deadline \(target)m")
        }
    }

    @Test("businessSeconds equals a minute-by-minute count, and deadline is its inverse, on short spans around DST")
    func shortSpansMatchReference() {
        var random = SeededGenerator(seed: 0x5A1)
        for _ in 0..<Self.shortCases { check(CalendarCase(&random, maxMinutes: Self.shortSpanMinutes), &random) }
    }

    @Test("whole-week skipping over months agrees with the minute-by-minute count")
    func longSpansMatchReference() {
        var random = SeededGenerator(seed: 0x10_46)
        for _ in 0..<Self.longCases { check(CalendarCase(&random, maxMinutes: Self.longSpanMinutes), &random) }
    }

    @Test("civil day numbers and weekdays agree with Foundation's Gregorian calendar")
    func civilDaysMatchFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for day in stride(from: Self.firstGregorianDay, through: 800_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(day * CivilDays.secondsPerDay))
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            #expect(LocalDate(dayNumber: day) == LocalDate(year: c.year!, month: c.month!, day: c.day!))
            #expect(CivilDays.weekday(day).rawValue == c.weekday)
            #expect(LocalDate(year: c.year!, month: c.month!, day: c.day!)!.dayNumber == day)
        }
    }

    @Test("a New York 09:00-17:00 weekday keeps 8 hours on the spring-forward Sunday's Monday, a 24-hour day has 23")
    func springForwardDayLengths() {
        let zone = TimeZone(identifier: "America/New_York")!
        let allDays = BusinessHours(start: TimeOfDay("00:00")!, end: TimeOfDay("00:00")!, weekdays: Set(Weekday.allCases))
        let midnight = Date(timeIntervalSince1970: 1_741_496_400)  // 2025-03-09 00:00 EST
        let nextMidnight = Date(timeIntervalSince1970: 1_741_579_200)  // 2025-03-10 00:00 EDT
        #expect(BusinessCalendar(hours: allDays, zone: zone).businessSeconds(from: midnight, to: nextMidnight) == 23 * 3_600)
        let week = BusinessCalendar(hours: .officeHours, zone: zone)
        #expect(week.businessSeconds(from: nextMidnight, to: nextMidnight + 86_400) == 8 * 3_600)
    }

    @Test("an overnight 22:00-06:00 Berlin shift across the autumn fall-back lasts 9 hours")
    func overnightFallBack() {
        let zone = TimeZone(identifier: "Europe/Berlin")!
        let hours = BusinessHours(start: TimeOfDay("22:00")!, end: TimeOfDay("06:00")!, weekdays: [.saturday])
        let saturdayNoon = Date(timeIntervalSince1970: 1_761_386_400)  // 2025-10-25 12:00 CEST
        let calendar = BusinessCalendar(hours: hours, zone: zone)
        #expect(calendar.businessSeconds(from: saturdayNoon, to: saturdayNoon + 2 * 86_400) == 9 * 3_600)
    }

    @Test("a holiday has no business hours and deadlines skip it")
    func holidaysAreSkipped() {
        let utc = TimeZone(identifier: "UTC")!
        let monday = Date(timeIntervalSince1970: 1_735_516_800)  // 2024-12-30 00:00 UTC, Monday
        let calendar = BusinessCalendar(hours: .officeHours, zone: utc, holidays: [LocalDate(iso: "2024-12-31")!])
        #expect(calendar.businessSeconds(from: monday, to: monday + 3 * 86_400) == 16 * 3_600)
        let due = calendar.deadline(adding: 9 * 3_600, from: monday)
        #expect(due == monday + 2 * 86_400 + 10 * 3_600)
    }
}
