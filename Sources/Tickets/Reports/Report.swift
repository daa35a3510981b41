import Foundation

/// A figure for the current period beside the same figure for the previous period.
public struct Comparison<Value: Sendable & Equatable>: Sendable, Equatable {
    public let current: Value
    public let previous: Value
}

/// A count and, for durations, the sum in milliseconds; `average` is nil without tickets.
public struct DurationTotal: Sendable, Equatable {
    public var count: Int
    public var totalMillis: Int64

    public init(count: Int = 0, totalMillis: Int64 = 0) {
        self.count = count
        self.totalMillis = totalMillis
    }

    /// The mean in seconds, or nil when no ticket counted.
    public var averageSeconds: Double? { count == 0 ? nil : Double(totalMillis) / Double(count) / 1000 }
}

/// Overview: the headline numbers.
public struct OverviewReport: Sendable, Equatable {
    public let totalTickets: Comparison<Int>
    public let openTickets: Comparison<Int>
    public let resolvedTickets: Comparison<Int>
    public let resolution: Comparison<DurationTotal>
    public let firstResponse: Comparison<DurationTotal>
}

/// One volume bucket: tickets created and resolved in it.
public struct VolumePoint: Sendable, Equatable {
    public let bucket: ReportBucket
    public let created: Int
    public let resolved: Int
}

/// Trends: volume over time and the distribution of the tickets created in the range.
public struct TrendsReport: Sendable, Equatable {
    public let interval: ReportInterval
    public let volume: [VolumePoint]
    /// Every status, priority and category in declaration order, zero counts included.
    public let byStatus: [(TicketStatus, Int)]
    public let byPriority: [(TicketPriority, Int)]
    public let byCategory: [(TicketCategory, Int)]

    public static func == (a: TrendsReport, b: TrendsReport) -> Bool {
        a.interval == b.interval && a.volume == b.volume && a.byStatus.map(\.1) == b.byStatus.map(\.1)
            && a.byPriority.map(\.1) == b.byPriority.map(\.1) && a.byCategory.map(\.1) == b.byCategory.map(\.1)
    }
}

/// One agent's row (agent nil: resolved tickets nobody is assigned to, and ratings of
/// resolutions no agent made).
public struct AgentPerformanceRow: Sendable, Equatable {
    public let agentID: AgentID?
    public let name: String
    public let resolution: DurationTotal
    /// Ratings answered in the range of the resolutions this agent made.
    public var csat = RatingTotal()
}

/// A number of CSAT ratings (1 to 5) and their sum; `average` is nil without ratings.
public struct RatingTotal: Sendable, Equatable {
    public var count: Int
    public var sum: Int

    public init(count: Int = 0, sum: Int = 0) {
        self.count = count
        self.sum = sum
    }

    /// The mean rating, or nil when nothing was rated.
    public var average: Double? { count == 0 ? nil : Double(sum) / Double(count) }
}

/// One CSAT trend bucket: the ratings answered in it.
public struct RatingPoint: Sendable, Equatable {
    public let bucket: ReportBucket
    public let ratings: RatingTotal
}

/// One row of CSAT by agent (agent nil: resolutions no agent made).
public struct RatingAgentRow: Sendable, Equatable {
    public let agentID: AgentID?
    public let name: String
    public let ratings: RatingTotal
}

/// CSAT: the survey ratings answered in the range.
public struct CSATReport: Sendable, Equatable {
    public let ratings: Comparison<RatingTotal>
    /// Ratings answered in the range per score: index 0 holds the 1s, index 4 the 5s.
    public let distribution: [Int]
    /// The previous period's ratings per score.
    public let previousDistribution: [Int]
    /// Highest average first (ties: more ratings, then name).
    public let agents: [RatingAgentRow]
    public let trend: [RatingPoint]

    /// Ratings of 4 or 5 in percent of all ratings, nil without ratings.
    public static func satisfiedPercent(_ distribution: [Int]) -> Double? {
        let total = distribution.reduce(0, +)
        return total == 0 ? nil : Double(distribution[3] + distribution[4]) * 100 / Double(total)
    }
}

/// One priority's SLA compliance.
public struct SLAComplianceRow: Sendable, Equatable {
    /// Nil for the row of all priorities together.
    public let priority: TicketPriority?
    public var firstResponseDecided = 0
    public var firstResponseMet = 0
    public var resolutionDecided = 0
    public var resolutionMet = 0
    /// Business time of met first responses and resolutions (the SLA clock's consumed time).
    public var businessFirstResponse = DurationTotal()
    public var businessResolution = DurationTotal()

    /// Met over decided in percent, nil when nothing is decided.
    public static func percent(_ met: Int, of decided: Int) -> Double? {
        decided == 0 ? nil : Double(met) * 100 / Double(decided)
    }
    public var firstResponsePercent: Double? { Self.percent(firstResponseMet, of: firstResponseDecided) }
    public var resolutionPercent: Double? { Self.percent(resolutionMet, of: resolutionDecided) }
}

/// SLA compliance per priority, with all priorities together for the current and previous period.
public struct SLAComplianceReport: Sendable, Equatable {
    public let rows: [SLAComplianceRow]
    public let overall: Comparison<SLAComplianceRow>
}

/// One channel's volume and resolution.
public struct ChannelRow: Sendable, Equatable {
    public let channel: TicketChannel
    public let created: Int
    public let resolution: DurationTotal
}

/// Every section for one range (what the exports carry).
public struct FullReport: Sendable, Equatable {
    public let range: ReportRange
    public let overview: OverviewReport
    public let trends: TrendsReport
    public let agents: [AgentPerformanceRow]
    public let sla: SLAComplianceReport
    public let csat: CSATReport
    public let channels: [ChannelRow]
}
