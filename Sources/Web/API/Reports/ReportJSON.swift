import Foundation
import Tickets

/// Seconds rounded to the millisecond, or null when no ticket counted.
func seconds(_ total: DurationTotal) -> Nullable<Double> {
    Nullable(total.averageSeconds.map { ($0 * 1000).rounded() / 1000 })
}

/// Percent rounded to two decimals, or null when nothing is decided.
func percent(_ value: Double?) -> Nullable<Double> { Nullable(value.map { ($0 * 100).rounded() / 100 }) }

struct PairJSON<Value: Encodable & Sendable>: Encodable, Sendable {
    let current: Value
    let previous: Value
}

struct PeriodJSON: Encodable, Sendable {
    let start: Date
    let end: Date
    init(_ period: ReportPeriod) { (start, end) = (period.start, period.end) }
}

struct RangeJSON: Encodable, Sendable {
    let preset: String
    let timeZone: String
    let firstDay: String
    let lastDay: String
    let current: PeriodJSON
    let previous: PeriodJSON

    init(_ range: ReportRange) {
        preset = range.preset.rawValue
        timeZone = range.timeZoneID
        firstDay = range.firstDay.description
        lastDay = range.lastDay.description
        current = PeriodJSON(range.current)
        previous = PeriodJSON(range.previous)
    }
}

struct OverviewJSON: Encodable, Sendable {
    let range: RangeJSON
    let totalTickets: PairJSON<Int>
    let openTickets: PairJSON<Int>
    let resolvedTickets: PairJSON<Int>
    let averageResolutionSeconds: PairJSON<Nullable<Double>>
    let averageFirstResponseSeconds: PairJSON<Nullable<Double>>

    init(_ o: OverviewReport, _ range: ReportRange) {
        self.range = RangeJSON(range)
        totalTickets = PairJSON(current: o.totalTickets.current, previous: o.totalTickets.previous)
        openTickets = PairJSON(current: o.openTickets.current, previous: o.openTickets.previous)
        resolvedTickets = PairJSON(current: o.resolvedTickets.current, previous: o.resolvedTickets.previous)
        averageResolutionSeconds = PairJSON(current: seconds(o.resolution.current), previous: seconds(o.resolution.previous))
        averageFirstResponseSeconds = PairJSON(current: seconds(o.firstResponse.current), previous: seconds(o.firstResponse.previous))
    }
}

struct CountJSON: Encodable, Sendable {
    let key: String
    let name: String
    let count: Int
}

struct VolumeJSON: Encodable, Sendable {
    let date: String
    let start: Date
    let end: Date
    let created: Int
    let resolved: Int
}

struct TrendsJSON: Encodable, Sendable {
    let range: RangeJSON
    let interval: String
    let volume: [VolumeJSON]
    let byStatus: [CountJSON]
    let byPriority: [CountJSON]
    let byCategory: [CountJSON]

    init(_ t: TrendsReport, _ range: ReportRange) {
        self.range = RangeJSON(range)
        interval = t.interval.rawValue
        volume = t.volume.map { VolumeJSON(date: $0.bucket.label.description, start: $0.bucket.period.start,
                                           end: $0.bucket.period.end, created: $0.created, resolved: $0.resolved) }
        byStatus = t.byStatus.map { CountJSON(key: $0.0.rawValue, name: $0.0.displayName, count: $0.1) }
        byPriority = t.byPriority.map { CountJSON(key: $0.0.rawValue, name: $0.0.displayName, count: $0.1) }
        byCategory = t.byCategory.map { CountJSON(key: $0.0.rawValue, name: $0.0.displayName, count: $0.1) }
    }
}

/// An average score rounded to two decimals, or null without ratings.
func score(_ total: RatingTotal) -> Nullable<Double> { Nullable(total.average.map { ($0 * 100).rounded() / 100 }) }

struct AgentRowJSON: Encodable, Sendable {
    let agentId: Nullable<Int64>
    let name: String
    let ticketsHandled: Int
    let averageResolutionSeconds: Nullable<Double>
    let csatRatings: Int
    let averageCsat: Nullable<Double>
}

struct AgentsJSON: Encodable, Sendable {
    let range: RangeJSON
    /// Always true since surveys are recorded (kept for clients written before).
    let csatAvailable: Bool
    let agents: [AgentRowJSON]

    init(_ rows: [AgentPerformanceRow], _ range: ReportRange) {
        self.range = RangeJSON(range)
        csatAvailable = true
        agents = rows.map { AgentRowJSON(agentId: Nullable($0.agentID?.rawValue), name: $0.name,
                                         ticketsHandled: $0.resolution.count, averageResolutionSeconds: seconds($0.resolution),
                                         csatRatings: $0.csat.count, averageCsat: score($0.csat)) }
    }
}

struct RatingsJSON: Encodable, Sendable {
    let ratings: Int
    let averageScore: Nullable<Double>
    let satisfiedPercent: Nullable<Double>
    /// Ratings per score, 1 star first.
    let distribution: [Int]

    init(_ total: RatingTotal, _ distribution: [Int]) {
        ratings = total.count
        averageScore = score(total)
        satisfiedPercent = percent(CSATReport.satisfiedPercent(distribution))
        self.distribution = distribution
    }
}

struct RatingAgentJSON: Encodable, Sendable {
    let agentId: Nullable<Int64>
    let name: String
    let ratings: Int
    let averageScore: Nullable<Double>
}

struct RatingPointJSON: Encodable, Sendable {
    let date: String
    let start: Date
    let end: Date
    let ratings: Int
    let averageScore: Nullable<Double>
}

struct CSATJSON: Encodable, Sendable {
    let range: RangeJSON
    let interval: String
    let overall: PairJSON<RatingsJSON>
    let agents: [RatingAgentJSON]
    let trend: [RatingPointJSON]

    init(_ c: CSATReport, interval: ReportInterval, _ range: ReportRange) {
        self.range = RangeJSON(range)
        self.interval = interval.rawValue
        overall = PairJSON(current: RatingsJSON(c.ratings.current, c.distribution), previous: RatingsJSON(c.ratings.previous, c.previousDistribution))
        agents = c.agents.map { RatingAgentJSON(agentId: Nullable($0.agentID?.rawValue), name: $0.name, ratings: $0.ratings.count,
                                                averageScore: score($0.ratings)) }
        trend = c.trend.map { RatingPointJSON(date: $0.bucket.label.description, start: $0.bucket.period.start, end: $0.bucket.period.end,
                                              ratings: $0.ratings.count, averageScore: score($0.ratings)) }
    }
}

struct SLARowJSON: Encodable, Sendable {
    let priority: Nullable<String>
    let firstResponseDecided: Int
    let firstResponseMet: Int
    let firstResponsePercent: Nullable<Double>
    let resolutionDecided: Int
    let resolutionMet: Int
    let resolutionPercent: Nullable<Double>
    let averageBusinessFirstResponseSeconds: Nullable<Double>
    let averageBusinessResolutionSeconds: Nullable<Double>

    init(_ r: SLAComplianceRow) {
        priority = Nullable(r.priority?.rawValue)
        firstResponseDecided = r.firstResponseDecided
        firstResponseMet = r.firstResponseMet
        firstResponsePercent = percent(r.firstResponsePercent)
        resolutionDecided = r.resolutionDecided
        resolutionMet = r.resolutionMet
        resolutionPercent = percent(r.resolutionPercent)
        averageBusinessFirstResponseSeconds = seconds(r.businessFirstResponse)
        averageBusinessResolutionSeconds = seconds(r.businessResolution)
    }
}

struct SLAJSON: Encodable, Sendable {
    let range: RangeJSON
    let priorities: [SLARowJSON]
    let overall: PairJSON<SLARowJSON>

    init(_ s: SLAComplianceReport, _ range: ReportRange) {
        self.range = RangeJSON(range)
        priorities = s.rows.map(SLARowJSON.init)
        overall = PairJSON(current: SLARowJSON(s.overall.current), previous: SLARowJSON(s.overall.previous))
    }
}

struct ChannelRowJSON: Encodable, Sendable {
    let channel: String
    let name: String
    let created: Int
    let resolved: Int
    let averageResolutionSeconds: Nullable<Double>
}

struct ChannelsJSON: Encodable, Sendable {
    let range: RangeJSON
    let channels: [ChannelRowJSON]

    init(_ rows: [ChannelRow], _ range: ReportRange) {
        self.range = RangeJSON(range)
        channels = rows.map { ChannelRowJSON(channel: $0.channel.rawValue, name: $0.channel.displayName, created: $0.created,
                                             resolved: $0.resolution.count, averageResolutionSeconds: seconds($0.resolution)) }
    }
}

/// Every section from one snapshot, with the definitions (what the Reports screen loads).
struct FullReportJSON: Encodable, Sendable {
    let range: RangeJSON
    let overview: OverviewJSON
    let trends: TrendsJSON
    let agents: AgentsJSON
    let sla: SLAJSON
    let csat: CSATJSON
    let channels: ChannelsJSON
    let definitions: [ReportDefinition]

    init(_ r: FullReport) {
        range = RangeJSON(r.range)
        overview = OverviewJSON(r.overview, r.range)
        trends = TrendsJSON(r.trends, r.range)
        agents = AgentsJSON(r.agents, r.range)
        sla = SLAJSON(r.sla, r.range)
        csat = CSATJSON(r.csat, interval: r.trends.interval, r.range)
        channels = ChannelsJSON(r.channels, r.range)
        definitions = ReportDefinition.all
    }
}
