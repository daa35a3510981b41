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

/// One agent's row (agent nil: resolved tickets nobody is assigned to).
public struct AgentPerformanceRow: Sendable, Equatable {
    public let agentID: AgentID?
    public let name: String
    public let resolution: DurationTotal
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
    public let channels: [ChannelRow]
}
