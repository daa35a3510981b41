import Foundation
import Tickets

/// Targets in minutes of business time for each priority, as the API shows and takes them.
struct PriorityTargetsJSON: Codable, Sendable {
    let urgent: Int
    let high: Int
    let medium: Int
    let low: Int

    init(_ targets: PriorityTargets) {
        urgent = targets.urgent
        high = targets.high
        medium = targets.medium
        low = targets.low
    }

    var targets: PriorityTargets { PriorityTargets(urgent: urgent, high: high, medium: medium, low: low) }
}

/// Business hours as the API shows and takes them: `start`/`end` as `HH:mm`, `weekdays` as
/// three-letter lower-case names (`mon` ... `sun`) in week order from Monday.
struct BusinessHoursJSON: Codable, Sendable {
    let start: String
    let end: String
    let weekdays: [String]

    /// Monday first, as people read a week.
    static let weekOrder: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]

    init(_ hours: BusinessHours) {
        start = hours.start.description
        // A shift ending at midnight ends at 24:00 as people write it (00:00 would read as
        // the start of the day); both are accepted on input.
        end = hours.end.minutes == 0 ? Self.endOfDay : hours.end.description
        weekdays = Self.weekOrder.filter(hours.weekdays.contains).map(Self.shortName)
    }

    /// `mon` for Monday.
    static func shortName(_ day: Weekday) -> String { String(day.name.prefix(3)) }

    /// Midnight at the end of the day, as an end time.
    static let endOfDay = "24:00"

    /// The domain value. Throws a 422 naming `hours.start`, `hours.end` or `hours.weekdays`.
    /// An end of 24:00 (or 00:00) is midnight at the end of the start's day: 00:00-24:00 is
    /// the whole day, 08:00-24:00 the rest of it.
    func hours() throws -> BusinessHours {
        guard let start = TimeOfDay(start) else {
            throw SLAPolicyBody.invalid("hours.start", start == Self.endOfDay ? "24:00 is only an end; a day starts at 00:00." : "Use HH:mm, like 09:00.")
        }
        guard let end = end == Self.endOfDay ? TimeOfDay(hour: 0, minute: 0) : TimeOfDay(end) else {
            throw SLAPolicyBody.invalid("hours.end", "Use HH:mm from 00:00 to 24:00, like 17:00.")
        }
        var days = Set<Weekday>()
        for name in weekdays {
            guard let day = Self.weekOrder.first(where: { Self.shortName($0) == name.lowercased() }) else {
                throw SLAPolicyBody.invalid("hours.weekdays", "Use mon, tue, wed, thu, fri, sat or sun.")
            }
            days.insert(day)
        }
        return BusinessHours(start: start, end: end, weekdays: days)
    }
}

/// An SLA policy resource.
struct SLAPolicyJSON: Encodable, Sendable {
    let id: Int64
    let name: String
    let firstResponse: PriorityTargetsJSON
    let resolution: PriorityTargetsJSON
    @Nullable var nextResponse: PriorityTargetsJSON?
    let hours: BusinessHoursJSON
    let timeZone: String
    let holidays: [String]
    let warningPercent: Int
    let isDefault: Bool
    let createdAt: Date
    let updatedAt: Date

    init(_ policy: SLAPolicy) {
        id = policy.id.rawValue
        name = policy.name
        firstResponse = PriorityTargetsJSON(policy.firstResponse)
        resolution = PriorityTargetsJSON(policy.resolution)
        nextResponse = policy.nextResponse.map(PriorityTargetsJSON.init)
        hours = BusinessHoursJSON(policy.hours)
        timeZone = policy.timeZoneID
        holidays = policy.holidays.map(\.description)
        warningPercent = policy.warningPercent
        isDefault = policy.isDefault
        createdAt = policy.createdAt
        updatedAt = policy.updatedAt
    }
}

/// `{policies}`.
struct SLAPolicyListJSON: Encodable, Sendable {
    let policies: [SLAPolicyJSON]
}
