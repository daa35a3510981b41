import Foundation

/// The row id of an SLA policy.
public struct SLAPolicyID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public var description: String { String(rawValue) }
}

/// A target in minutes of business time for each priority.
public struct PriorityTargets: Sendable, Equatable, Codable {
    public var urgent: Int
    public var high: Int
    public var medium: Int
    public var low: Int

    public init(urgent: Int, high: Int, medium: Int, low: Int) {
        self.urgent = urgent
        self.high = high
        self.medium = medium
        self.low = low
    }

    /// The target for `priority`, in minutes.
    public subscript(priority: TicketPriority) -> Int {
        switch priority {
        case .urgent: urgent
        case .high: high
        case .medium: medium
        case .low: low
        }
    }
}

/// A service level agreement: targets per priority counted in business time.
///
/// Warning rule (chosen): a running metric is "Breaching" once the business time left is at
/// most `warningPercent` % of its target (25 % of a 4-hour target warns with 1 hour left).
/// A percentage scales with the priorities' very different targets, which a fixed number
/// of minutes does not.
public struct SLAPolicy: Sendable, Equatable {
    public let id: SLAPolicyID
    public var name: String
    public var firstResponse: PriorityTargets
    public var resolution: PriorityTargets
    /// Each later customer message waits for an agent reply within this target; nil: not tracked.
    public var nextResponse: PriorityTargets?
    public var hours: BusinessHours
    /// An IANA identifier (`Europe/Berlin`).
    public var timeZoneID: String
    /// Dates in the policy's zone with no business hours, sorted and unique.
    public var holidays: [LocalDate]
    /// 1...99; see the type's warning rule.
    public var warningPercent: Int
    /// Exactly one policy is the default, applied to new tickets.
    public var isDefault: Bool
    public let createdAt: Date
    public var updatedAt: Date

    static let secondsPerMinute = 60
    static let percent = 100

    /// The business calendar of this policy.
    public var calendar: BusinessCalendar {
        BusinessCalendar(hours: hours, zone: TimeZone(identifier: timeZoneID) ?? .gmt, holidays: holidays)
    }

    /// The target of `metric` at `priority` in milliseconds of business time; nil when the
    /// policy does not track it (next response without targets).
    public func targetMillis(_ metric: SLAMetric, _ priority: TicketPriority) -> Int64? {
        let minutes: Int? = switch metric {
        case .firstResponse: firstResponse[priority]
        case .nextResponse: nextResponse?[priority]
        case .resolution: resolution[priority]
        }
        return minutes.map { Int64($0 * Self.secondsPerMinute) * SLAClock.millisPerSecond }
    }

    /// The consumed time at which a metric with `target` starts Breaching.
    func warningMillis(target: Int64) -> Int64 { target - target * Int64(warningPercent) / Int64(Self.percent) }
}

/// The editable fields of a policy, validated by `SLAPolicyRules`.
public struct SLAPolicyDraft: Sendable, Equatable {
    public var name: String
    public var firstResponse: PriorityTargets
    public var resolution: PriorityTargets
    public var nextResponse: PriorityTargets?
    public var hours: BusinessHours
    public var timeZoneID: String
    public var holidays: [LocalDate]
    public var warningPercent: Int
    public var isDefault: Bool

    public init(name: String, firstResponse: PriorityTargets, resolution: PriorityTargets,
                nextResponse: PriorityTargets? = nil, hours: BusinessHours = .officeHours, timeZoneID: String = "UTC",
                holidays: [LocalDate] = [], warningPercent: Int = SLAPolicyRules.defaultWarningPercent,
                isDefault: Bool = false) {
        self.name = name
        self.firstResponse = firstResponse
        self.resolution = resolution
        self.nextResponse = nextResponse
        self.hours = hours
        self.timeZoneID = timeZoneID
        self.holidays = holidays
        self.warningPercent = warningPercent
        self.isDefault = isDefault
    }
}

/// Validation of policy drafts; every failure is `DomainError.validation(field, message)`.
public enum SLAPolicyRules {
    public static let maxNameLength = 100
    /// One year: longer targets are surely a typo.
    public static let maxTargetMinutes = 525_600
    public static let maxHolidays = 366
    /// IANA zone names are at most about 30 characters ("America/Argentina/ComodRivadavia").
    public static let maxTimeZoneLength = 64
    public static let warningPercentRange = 1...99
    public static let defaultWarningPercent = 25

    /// The draft with its name trimmed and holidays sorted and unique, or a validation error
    /// naming the field (`name`, `firstResponse.urgent`, `hours.weekdays`, `timeZone`,
    /// `holidays`, `warningPercent`).
    public static func validated(_ draft: SLAPolicyDraft) throws -> SLAPolicyDraft {
        var clean = draft
        clean.name = draft.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !clean.name.isEmpty else { throw DomainError.validation("name", "Enter a policy name.") }
        guard clean.name.count <= maxNameLength else {
            throw DomainError.validation("name", "Keep the name under \(maxNameLength) characters.")
        }
        try TextLimit.check(clean.name, field: "name", max: maxNameLength)
        try check(draft.firstResponse, field: "firstResponse")
        try check(draft.resolution, field: "resolution")
        if let next = draft.nextResponse { try check(next, field: "nextResponse") }
        guard !draft.hours.weekdays.isEmpty else {
            throw DomainError.validation("hours.weekdays", "Choose at least one working day.")
        }
        try TextLimit.check(draft.timeZoneID, field: "timeZone", max: maxTimeZoneLength)
        guard TimeZone(identifier: draft.timeZoneID) != nil else {
            throw DomainError.validation("timeZone", "Unknown time zone \"\(draft.timeZoneID)\".")
        }
        clean.holidays = Set(draft.holidays).sorted()
        guard clean.holidays.count <= maxHolidays else {
            throw DomainError.validation("holidays", "Use at most \(maxHolidays) holidays.")
        }
        guard warningPercentRange.contains(draft.warningPercent) else {
            throw DomainError.validation("warningPercent", "Warn between \(warningPercentRange.lowerBound) and \(warningPercentRange.upperBound) % of the target.")
        }
        return clean
    }

    private static func check(_ targets: PriorityTargets, field: String) throws {
        for priority in TicketPriority.allCases where !(1...maxTargetMinutes).contains(targets[priority]) {
            throw DomainError.validation("\(field).\(priority.rawValue)",
                                         "Set a target between 1 and \(maxTargetMinutes) minutes.")
        }
    }
}
