/// The working hours of a policy, in its time zone.
///
/// Each working weekday has one shift that starts at `start` on that day:
/// - `start < end`: the shift ends at `end` the same day (`09:00-17:00`);
/// - `start > end`: an overnight shift ending at `end` the next day (`22:00-06:00`);
/// - `start == end`: a 24-hour shift (`00:00-00:00` is the whole calendar day).
/// A shift belongs to the day it starts: that day's weekday and holidays decide whether it
/// is worked, even when it runs past midnight.
public struct BusinessHours: Sendable, Equatable, Codable {
    public var start: TimeOfDay
    public var end: TimeOfDay
    public var weekdays: Set<Weekday>

    public init(start: TimeOfDay, end: TimeOfDay, weekdays: Set<Weekday>) {
        self.start = start
        self.end = end
        self.weekdays = weekdays
    }

    /// Monday to Friday, 09:00-17:00.
    public static let officeHours = BusinessHours(
        start: TimeOfDay(hour: 9, minute: 0)!, end: TimeOfDay(hour: 17, minute: 0)!,
        weekdays: [.monday, .tuesday, .wednesday, .thursday, .friday])

    /// The wall-clock length of one shift in seconds (DST aside).
    public var shiftSeconds: Int {
        let minutes = start < end ? end.minutes - start.minutes : TimeOfDay.minutesPerDay - start.minutes + end.minutes
        return minutes * TimeOfDay.minutesPerHour
    }

    /// The weekdays as a bit set (bit `rawValue - 1`), as stored.
    var weekdayBits: Int { weekdays.reduce(0) { $0 | (1 << ($1.rawValue - 1)) } }

    /// The weekdays of a stored bit set.
    static func weekdays(bits: Int) -> Set<Weekday> {
        Set(Weekday.allCases.filter { bits & (1 << ($0.rawValue - 1)) != 0 })
    }
}
