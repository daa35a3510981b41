import Synchronization

/// IMF-fixdate formatting (RFC 9110 section 5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    private static let secondsPerDay = 86_400
    /// 1970-01-01 was a Thursday.
    private static let epochWeekday = 4

    /// Formats seconds since the Unix epoch (UTC) as an IMF-fixdate.
    public static func format(epochSeconds: Int) -> String {
        let days = epochSeconds.floorDiv(secondsPerDay)
        let secondOfDay = epochSeconds - days * secondsPerDay
        let (year, month, day) = civil(fromDays: days)
        let weekday = (days + epochWeekday).floorMod(7)
        return "\(weekdays[weekday]), \(twoDigits(day)) \(months[month - 1]) \(year) "
            + "\(twoDigits(secondOfDay / 3600)):\(twoDigits(secondOfDay / 60 % 60)):\(twoDigits(secondOfDay % 60)) GMT"
    }

    private static func twoDigits(_ n: Int) -> String {
        n < 10 ? "0\(n)" : "\(n)"
    }

    /// Year, month (1...12) and day of days since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = z.floorDiv(146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

/// The `Date` header value, formatted at most once per second and shared by all loops.
public final class HTTPDateCache: Sendable {
    private let cached = Mutex<(second: Int, text: String)>((Int.min, ""))

    /// A shared cache for the whole process.
    public static let shared = HTTPDateCache()

    public init() {}

    /// The IMF-fixdate of `epochSeconds`, reformatted only when the second changes.
    public func string(epochSeconds: Int) -> String {
        cached.withLock { entry in
            if entry.second != epochSeconds {
                entry = (epochSeconds, HTTPDate.format(epochSeconds: epochSeconds))
            }
            return entry.text
        }
    }
}

extension Int {
    /// Division rounding toward negative infinity.
    func floorDiv(_ d: Int) -> Int {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }

    /// The non-negative remainder of floor division.
    func floorMod(_ d: Int) -> Int {
        self - floorDiv(d) * d
    }
}
