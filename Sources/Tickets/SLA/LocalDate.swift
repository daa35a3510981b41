/// A calendar date without a time zone (proleptic Gregorian), as holidays are written:
/// `2025-12-25` means that date on the wall calendar of the policy's zone.
public struct LocalDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date, or nil when `month`/`day` do not form a real date in `year`.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDays.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) {
        (year, month, day) = CivilDays.civil(dayNumber)
    }

    /// Parses `YYYY-MM-DD`; nil for anything else.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (negative before).
    public var dayNumber: Int { CivilDays.dayNumber(year: year, month: month, day: day) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }
}

/// Day-number arithmetic for the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`/`civil_from_days`): O(1), no Foundation calendar involved.
enum CivilDays {
    static let secondsPerDay = 86_400
    static let daysPer400Years = 146_097
    /// Days from 0000-03-01 to 1970-01-01.
    static let epochShift = 719_468
    /// Day 0 (1970-01-01) was a Thursday.
    static let epochWeekday = Weekday.thursday

    /// Days since 1970-01-01 for a valid civil date.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = (month + 9) % 12
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * daysPer400Years + dayOfEra - epochShift
    }

    /// The civil date of day number `days`.
    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + epochShift
        let era = (z >= 0 ? z : z - (daysPer400Years - 1)) / daysPer400Years
        let dayOfEra = z - era * daysPer400Years
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The weekday of day number `days`.
    static func weekday(_ days: Int) -> Weekday {
        let count = Weekday.allCases.count
        let index = ((days + epochWeekday.rawValue - 1) % count + count) % count
        return Weekday(rawValue: index + 1)!
    }

    /// 28...31.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Floor division (rounds towards negative infinity).
    static func floorDiv(_ a: Int, _ b: Int) -> Int { a >= 0 ? a / b : -((-a + b - 1) / b) }
}

/// A day of the week; raw values follow Foundation's `Calendar` (1 = Sunday).
public enum Weekday: Int, CaseIterable, Sendable, Codable {
    case sunday = 1, monday, tuesday, wednesday, thursday, friday, saturday

    /// The lower-case English name, used in the API and database.
    public var name: String { String(describing: self) }

    /// The weekday named `name` (`monday`), or nil.
    public init?(name: String) {
        guard let found = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = found
    }
}

/// A wall-clock time of day to the minute, `00:00` through `23:59`.
public struct TimeOfDay: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let minutesPerDay = 1_440
    public static let minutesPerHour = 60
    /// Minutes after midnight, `0..<1440`.
    public let minutes: Int

    /// Nil unless `0 <= hour < 24` and `0 <= minute < 60`.
    public init?(hour: Int, minute: Int) {
        guard (0..<24).contains(hour), (0..<Self.minutesPerHour).contains(minute) else { return nil }
        minutes = hour * Self.minutesPerHour + minute
    }

    /// Parses `HH:mm`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]) else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// `HH:mm`.
    public var description: String {
        let hour = minutes / Self.minutesPerHour, minute = minutes % Self.minutesPerHour
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutes < b.minutes }
}
