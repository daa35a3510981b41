import Foundation

/// Business-time arithmetic over a policy's hours, time zone, weekdays and holidays.
/// A pure value: no clock reads; only `TimeZone` offsets are consulted.
///
/// Definition: the shift of local day `D` runs from the FIRST instant at which the zone's
/// wall clock reads at least `D + start` to the first instant at which it reads at least
/// the shift's end. So in a spring-forward gap the shift starts when the clock jumps past
/// its start (an 09:00-17:00 day keeps 8 hours, a 00:00-00:00 day has 23), and in a
/// fall-back repeated hour the first occurrence counts (a 22:00-06:00 shift across it lasts
/// 9 hours). Shifts never overlap, so business time is the measure of their union.
///
/// Cost: days near either end are walked one by one; whole weeks in between with no
/// holiday and no offset change are added in O(1). Assumes offsets change at most once
/// per ten days (true of every real zone).
public struct BusinessCalendar: Sendable {
    public let hours: BusinessHours
    public let zone: TimeZone
    /// Holiday day numbers (days since 1970-01-01), sorted.
    let holidayDays: [Int]
    private let weekdayMask: Int
    private let nominalWeekSeconds: Int

    static let daysPerWeek = 7
    /// How far around a block to probe for an offset change.
    static let probeMarginDays = 2
    /// Days walked singly at each end before whole weeks may be skipped.
    static let edgeDays = 3
    /// `deadline` gives up (returning `.distantFuture`) beyond this many days: a calendar
    /// whose holidays cover every working day for decades has no deadline.
    static let searchLimitDays = 366 * 30

    /// A calendar for `hours` in `zone`, skipping `holidays`.
    public init(hours: BusinessHours, zone: TimeZone, holidays: [LocalDate] = []) {
        self.hours = hours
        self.zone = zone
        self.holidayDays = Set(holidays.map(\.dayNumber)).sorted()
        self.weekdayMask = hours.weekdayBits
        self.nominalWeekSeconds = hours.weekdays.count * hours.shiftSeconds
    }

    /// The business seconds between `from` and `to` (0 when `to <= from`).
    public func businessSeconds(from: Date, to: Date) -> TimeInterval {
        let a = from.timeIntervalSince1970, b = to.timeIntervalSince1970
        guard b > a else { return 0 }
        let lastDay = localDay(b) + 1
        var day = localDay(a) - 1
        let firstSkippable = day + Self.edgeDays
        var total = 0.0
        while day <= lastDay {
            if day >= firstSkippable, day + Self.daysPerWeek + 1 <= lastDay - 1, isPlainWeek(startingAt: day) {
                total += Double(nominalWeekSeconds)
                day += Self.daysPerWeek
                continue
            }
            if let (start, end) = shift(day) {
                let lower = max(Double(start), a), upper = min(Double(end), b)
                if upper > lower { total += upper - lower }
            }
            day += 1
        }
        return total
    }

    /// The earliest instant `t >= from` with `businessSeconds(from: from, to: t) == seconds`:
    /// `from` itself for 0, otherwise inside or at the end of a shift. `.distantFuture` when
    /// the calendar has no business time left within `searchLimitDays`.
    public func deadline(adding seconds: TimeInterval, from: Date) -> Date {
        guard seconds > 0 else { return from }
        let a = from.timeIntervalSince1970
        var remaining = seconds
        var day = localDay(a) - 1
        let firstSkippable = day + Self.edgeDays
        let limit = day + Self.searchLimitDays
        while day <= limit {
            if day >= firstSkippable, Double(nominalWeekSeconds) < remaining, isPlainWeek(startingAt: day) {
                remaining -= Double(nominalWeekSeconds)
                day += Self.daysPerWeek
                continue
            }
            if let (start, end) = shift(day), Double(end) > a {
                let lower = max(Double(start), a)
                let available = Double(end) - lower
                if available >= remaining { return Date(timeIntervalSince1970: lower + remaining) }
                remaining -= available
            }
            day += 1
        }
        return .distantFuture
    }

    /// The shift of local day `day` as absolute epoch seconds, or nil when the day is not
    /// worked (weekday off or holiday).
    func shift(_ day: Int) -> (Int, Int)? {
        guard worksOn(day) else { return nil }
        let secondsPerMinute = TimeOfDay.minutesPerHour
        let startLocal = day * CivilDays.secondsPerDay + hours.start.minutes * secondsPerMinute
        let endLocal = startLocal + hours.shiftSeconds
        return (firstReach(startLocal), firstReach(endLocal))
    }

    /// True when `day` is a working weekday and not a holiday.
    func worksOn(_ day: Int) -> Bool {
        weekdayMask & (1 << (CivilDays.weekday(day).rawValue - 1)) != 0 && !isHoliday(day)
    }

    /// The local day number of the wall clock at epoch second `t`.
    func localDay(_ t: TimeInterval) -> Int {
        let second = Int(t.rounded(.down))
        return CivilDays.floorDiv(second + offset(second), CivilDays.secondsPerDay)
    }

    /// The first epoch second at which the wall clock reads at least `local` (local seconds
    /// since 1970-01-01 00:00 wall time). See the type's definition for gaps and repeats.
    func firstReach(_ local: Int) -> Int {
        let before = offset(local - CivilDays.secondsPerDay)
        let after = offset(local + CivilDays.secondsPerDay)
        if before == after { return local - before }
        let early = local - before, late = local - after
        let earlyValid = offset(early) == before, lateValid = offset(late) == after
        switch (earlyValid, lateValid) {
        case (true, true): return min(early, late)
        case (true, false): return early
        case (false, true): return late
        case (false, false): return transition(after: late, atOrBefore: early, to: after)
        }
    }

    /// The offset from UTC in seconds at epoch second `t`.
    func offset(_ t: Int) -> Int { zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(t))) }

    /// The first second in `(low, high]` whose offset is `target` (binary search; the
    /// offset is `target` at `high` and not at `low`).
    private func transition(after low: Int, atOrBefore high: Int, to target: Int) -> Int {
        var low = low, high = high
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(middle) == target { high = middle } else { low = middle }
        }
        return high
    }

    private func isHoliday(_ day: Int) -> Bool { firstHoliday(atOrAfter: day).map { $0 == day } ?? false }

    private func firstHoliday(atOrAfter day: Int) -> Int? {
        var low = 0, high = holidayDays.count
        while low < high {
            let middle = (low + high) / 2
            if holidayDays[middle] < day { low = middle + 1 } else { high = middle }
        }
        return low < holidayDays.count ? holidayDays[low] : nil
    }

    /// True when the seven shifts from `day` all have their nominal length: no holiday in
    /// the block and the same UTC offset around it.
    private func isPlainWeek(startingAt day: Int) -> Bool {
        if let holiday = firstHoliday(atOrAfter: day), holiday < day + Self.daysPerWeek { return false }
        let margin = Self.probeMarginDays * CivilDays.secondsPerDay
        let first = day * CivilDays.secondsPerDay - margin
        let last = (day + Self.daysPerWeek) * CivilDays.secondsPerDay + margin
        return offset(first) == offset(last)
    }
}
