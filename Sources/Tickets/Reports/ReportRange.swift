import Foundation

/// The date ranges a report offers. Raw values are the API names.
public enum ReportPreset: String, CaseIterable, Sendable, Codable {
    case last7Days = "last_7_days"
    case last30Days = "last_30_days"
    case last90Days = "last_90_days"
    case thisMonth = "this_month"
    case lastMonth = "last_month"
    case custom
}

/// How the Trends volume chart groups time. Weeks start on Monday (ISO 8601).
public enum ReportInterval: String, CaseIterable, Sendable, Codable {
    case day, week, month
}

/// A half-open span of time `[start, end)`.
public struct ReportPeriod: Sendable, Equatable {
    public let start: Date
    public let end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }
}

/// One bar of the volume chart: the local date it starts on and its span (clipped to the range).
public struct ReportBucket: Sendable, Equatable {
    public let label: LocalDate
    public let period: ReportPeriod
}

/// A resolved date range in the account's time zone: the current period, the previous
/// period of the same calendar length right before it, and its first and last local days.
///
/// Rules (pure; `now` and the zone are given):
/// - last N days: from local midnight N-1 days before today up to and including `now` (today
///   counts as a day); the previous period is both bounds moved back N local days.
/// - this month: from the 1st of this month up to and including `now`; previous: both bounds moved back
///   one month (clamped to the shorter month's end by the calendar).
/// - last month: the whole previous calendar month; previous: the month before it.
/// - custom: local midnight of `from` to local midnight after `to` (both days included);
///   previous: both bounds moved back by the range's number of days.
/// Bounds move in local days, so a range across a DST change keeps whole local days.
public struct ReportRange: Sendable, Equatable {
    /// Longest custom range in days: a year and a day, the longest span the benchmark measures
    /// (a year must fit whatever weekday it starts on).
    public static let maxDays = 366

    public let preset: ReportPreset
    public let timeZoneID: String
    public let current: ReportPeriod
    public let previous: ReportPeriod
    public let firstDay: LocalDate
    public let lastDay: LocalDate

    /// Resolves `preset` at `now` in `zone`. `from` and `to` are required for `.custom` and
    /// ignored otherwise. Throws `.validation("from" | "to")` for a missing or reversed custom
    /// range or one longer than `maxDays`.
    /// `zoneName` is the zone's name as the account spells it (Foundation reads "UTC" as "GMT").
    public static func resolve(_ preset: ReportPreset, from: LocalDate? = nil, to: LocalDate? = nil,
                               zone: TimeZone, zoneName: String? = nil, now: Date) throws -> ReportRange {
        let calendar = Self.calendar(zone)
        let today = localDate(of: now, calendar)
        // Times are stored in whole milliseconds; a range ending "now" includes this millisecond.
        let throughNow = now.addingTimeInterval(0.001)
        let start: Date, end: Date, firstDay: LocalDate, lastDay: LocalDate
        let shift: (Date) -> Date
        switch preset {
        case .last7Days, .last30Days, .last90Days:
            let days = preset == .last7Days ? 7 : preset == .last30Days ? 30 : 90
            firstDay = LocalDate(dayNumber: today.dayNumber - (days - 1))
            lastDay = today
            (start, end) = (midnight(firstDay, calendar), throughNow)
            shift = { calendar.date(byAdding: .day, value: -days, to: $0) ?? $0 }
        case .thisMonth:
            firstDay = LocalDate(year: today.year, month: today.month, day: 1)!
            lastDay = today
            (start, end) = (midnight(firstDay, calendar), throughNow)
            shift = { calendar.date(byAdding: .month, value: -1, to: $0) ?? $0 }
        case .lastMonth:
            let first = LocalDate(year: today.month == 1 ? today.year - 1 : today.year, month: today.month == 1 ? 12 : today.month - 1, day: 1)!
            firstDay = first
            lastDay = LocalDate(dayNumber: LocalDate(year: today.year, month: today.month, day: 1)!.dayNumber - 1)
            (start, end) = (midnight(firstDay, calendar), midnight(LocalDate(dayNumber: lastDay.dayNumber + 1), calendar))
            shift = { calendar.date(byAdding: .month, value: -1, to: $0) ?? $0 }
        case .custom:
            guard let from else { throw DomainError.validation("from", "Choose the first day of the range (YYYY-MM-DD).") }
            guard let to else { throw DomainError.validation("to", "Choose the last day of the range (YYYY-MM-DD).") }
            guard from <= to else { throw DomainError.validation("to", "The last day must not be before the first day.") }
            let days = to.dayNumber - from.dayNumber + 1
            guard days <= maxDays else {
                throw DomainError.validation("to", "A range covers at most \(maxDays) days; this one covers \(days).")
            }
            (firstDay, lastDay) = (from, to)
            (start, end) = (midnight(from, calendar), midnight(LocalDate(dayNumber: to.dayNumber + 1), calendar))
            shift = { calendar.date(byAdding: .day, value: -days, to: $0) ?? $0 }
        }
        return ReportRange(preset: preset, timeZoneID: zoneName ?? zone.identifier, current: ReportPeriod(start: start, end: end),
                           previous: ReportPeriod(start: shift(start), end: shift(end)), firstDay: firstDay, lastDay: lastDay)
    }

    /// The buckets of the current period for `interval`, in order, each clipped to the period.
    /// A week starts on Monday; the first week or month may start before `firstDay` and is
    /// clipped to it (its label is still the week's Monday or the month's 1st).
    public func buckets(_ interval: ReportInterval) -> [ReportBucket] {
        let calendar = Self.calendar(TimeZone(identifier: timeZoneID) ?? .gmt)
        var label: LocalDate
        switch interval {
        case .day: label = firstDay
        case .week: label = LocalDate(dayNumber: firstDay.dayNumber - Self.daysSinceMonday(firstDay))
        case .month: label = LocalDate(year: firstDay.year, month: firstDay.month, day: 1)!
        }
        var result: [ReportBucket] = []
        while label <= lastDay {
            let next: LocalDate
            switch interval {
            case .day: next = LocalDate(dayNumber: label.dayNumber + 1)
            case .week: next = LocalDate(dayNumber: label.dayNumber + 7)
            case .month: next = LocalDate(year: label.month == 12 ? label.year + 1 : label.year, month: label.month % 12 + 1, day: 1)!
            }
            let start = max(Self.midnight(label, calendar), current.start)
            let end = min(Self.midnight(next, calendar), current.end)
            if start < end { result.append(ReportBucket(label: label, period: ReportPeriod(start: start, end: end))) }
            label = next
        }
        return result
    }

    /// Days from the Monday of `date`'s week to `date` (0 on a Monday). Day 0 was a Thursday.
    static func daysSinceMonday(_ date: LocalDate) -> Int {
        ((date.dayNumber + 3) % 7 + 7) % 7
    }

    static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The local date of `date`.
    static func localDate(of date: Date, _ calendar: Calendar) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }

    /// The instant local `date` begins (the first valid local time when a DST change skips midnight).
    static func midnight(_ date: LocalDate, _ calendar: Calendar) -> Date {
        calendar.startOfDay(for: calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day, hour: 12))!)
    }
}
