import Foundation

/// The help desk reports (Overview, Trends, Agent performance, SLA compliance, CSAT, Channels),
/// read-only. Every method needs `reports.view` and reads one consistent snapshot (one read
/// transaction). Metric rules: `ReportDefinition.all`; SQL: `ReportQueries`, read through the
/// daily roll-up for whole days when it can answer (`ReportSource`, `ReportRollup`).
public final class ReportService: Sendable {
    public let database: Database
    let now: Clock
    /// False reads every figure with the plain queries (the benchmark's "before").
    let useRollup: Bool

    public init(database: Database, now: @escaping Clock, useRollup: Bool = true) {
        self.database = database
        self.now = now
        self.useRollup = useRollup
    }

    /// A read transaction with the figures' source (the roll-up when it can answer).
    func read<T: Sendable>(_ body: @escaping @Sendable (ReportSource) throws -> T) async throws -> T {
        let useRollup = self.useRollup
        return try await database.read { db in try body(try ReportSource(db, useRollup: useRollup)) }
    }

    /// Resolves a range in the account's time zone (the default SLA policy's zone) at the
    /// current time. Needs `reports.view`. Throws `.validation("from" | "to")`, `.forbidden`.
    public func range(_ preset: ReportPreset, from: LocalDate? = nil, to: LocalDate? = nil, for viewer: Actor) async throws
        -> ReportRange
    {
        try require(.reportsView, for: viewer)
        let name = try await database.read { try ReportQueries.accountTimeZone($0) }
        return try ReportRange.resolve(preset, from: from, to: to, zone: TimeZone(identifier: name) ?? .gmt, zoneName: name, now: now())
    }

    /// Overview for `range`. Needs `reports.view`.
    public func overview(_ range: ReportRange, for viewer: Actor) async throws -> OverviewReport {
        try require(.reportsView, for: viewer)
        return try await read { try Self.overview(range, $0) }
    }

    /// Trends for `range`, volume grouped by `interval`. Needs `reports.view`.
    public func trends(_ range: ReportRange, interval: ReportInterval, for viewer: Actor) async throws -> TrendsReport {
        try require(.reportsView, for: viewer)
        return try await read { try Self.trends(range, interval, $0) }
    }

    /// Agent performance for `range`, most tickets handled first. Needs `reports.view`.
    public func agents(_ range: ReportRange, for viewer: Actor) async throws -> [AgentPerformanceRow] {
        try require(.reportsView, for: viewer)
        return try await read { try Self.agents(range, $0) }
    }

    /// SLA compliance for `range`. Needs `reports.view`.
    public func sla(_ range: ReportRange, for viewer: Actor) async throws -> SLAComplianceReport {
        try require(.reportsView, for: viewer)
        return try await read { try Self.sla(range, $0) }
    }

    /// CSAT for `range`, the trend grouped by `interval`. Needs `reports.view`.
    public func csat(_ range: ReportRange, interval: ReportInterval, for viewer: Actor) async throws -> CSATReport {
        try require(.reportsView, for: viewer)
        return try await read { try Self.csat(range, interval, $0.db) }
    }

    /// Channels for `range`, every channel listed. Needs `reports.view`.
    public func channels(_ range: ReportRange, for viewer: Actor) async throws -> [ChannelRow] {
        try require(.reportsView, for: viewer)
        return try await read { try Self.channels(range, $0) }
    }

    /// Every section for `range` from one snapshot (for the exports). Needs `reports.view`.
    public func fullReport(_ range: ReportRange, interval: ReportInterval, for viewer: Actor) async throws -> FullReport {
        try require(.reportsView, for: viewer)
        return try await read { db in
            // Trends and Channels share one count of the tickets created.
            let counts = try db.distribution(range.current)
            // Agent performance takes its CSAT column from the CSAT section's one pass.
            let csat = try Self.csat(range, interval, db.db)
            return FullReport(range: range, overview: try Self.overview(range, db), trends: try Self.trends(range, interval, db, counts),
                              agents: try Self.agents(range, db, csat: csat), sla: try Self.sla(range, db), csat: csat,
                              channels: try Self.channels(range, db, counts))
        }
    }

    static func overview(_ range: ReportRange, _ db: ReportSource) throws -> OverviewReport {
        let (current, previous) = (try db.created(range.current), try db.created(range.previous))
        let resolved = (try db.resolved(range.current), try db.resolved(range.previous))
        return OverviewReport(
            totalTickets: Comparison(current: current.total, previous: previous.total),
            openTickets: Comparison(current: current.open, previous: previous.open),
            resolvedTickets: Comparison(current: resolved.0.count, previous: resolved.1.count),
            resolution: Comparison(current: resolved.0, previous: resolved.1),
            firstResponse: Comparison(current: current.firstResponse, previous: previous.firstResponse))
    }

    static func trends(_ range: ReportRange, _ interval: ReportInterval, _ db: ReportSource,
                       _ counted: ReportQueries.Distribution? = nil) throws -> TrendsReport {
        // One index range count per bucket: exact bucket edges in any time zone (DST, half-hour
        // offsets) for the price of one pass over the period plus a statement step per bucket.
        let volume = try range.buckets(interval).map { bucket in
            VolumePoint(bucket: bucket, created: try db.createdCount(bucket.period), resolved: try db.resolvedCount(bucket.period))
        }
        let counts = try counted ?? db.distribution(range.current)
        return TrendsReport(interval: interval, volume: volume,
                            byStatus: TicketStatus.allCases.map { ($0, counts.status[$0.rawValue] ?? 0) },
                            byPriority: TicketPriority.allCases.map { ($0, counts.priority[$0.rawValue] ?? 0) },
                            byCategory: TicketCategory.allCases.map { ($0, counts.category[$0.rawValue] ?? 0) })
    }

    /// Resolved tickets by current assignee beside ratings by resolving agent: an agent with
    /// only one of the two still gets a row (zero tickets handled, or no average CSAT).
    static func agents(_ range: ReportRange, _ db: ReportSource, csat: CSATReport? = nil) throws -> [AgentPerformanceRow] {
        var totals: [Int64?: DurationTotal] = [:]
        for (agent, total) in try db.resolvedByAgent(range.current) { totals[agent] = total }
        var ratings: [Int64?: RatingTotal] = [:]
        if let csat {
            for row in csat.agents { ratings[row.agentID?.rawValue] = row.ratings }
        } else {
            for (agent, total) in try ReportQueries.ratingsByAgent(range.current, db.db) { ratings[agent] = total }
        }
        let agents = Set(totals.keys).union(ratings.keys)
        let names = try ReportQueries.agentNames(agents.compactMap { $0 }, db.db)
        return agents.map { agent in
            AgentPerformanceRow(agentID: agent.map(AgentID.init), name: name(agent, names),
                                resolution: totals[agent] ?? DurationTotal(), csat: ratings[agent] ?? RatingTotal())
        }.sorted { ($0.resolution.count, $1.name) > ($1.resolution.count, $0.name) }
    }

    static func name(_ agent: Int64?, _ names: [Int64: String]) -> String {
        agent.map { names[$0] ?? "Agent \($0)" } ?? "Unassigned"
    }

    static func csat(_ range: ReportRange, _ interval: ReportInterval, _ db: Connection) throws -> CSATReport {
        let buckets = range.buckets(interval)
        let current = try ReportQueries.ratingSummary(range.current, buckets: buckets.map(\.period), db)
        let (previous, previousDistribution) = try ReportQueries.ratings(range.previous, db)
        let names = try ReportQueries.agentNames(current.byAgent.keys.compactMap { $0 }, db)
        let agents = current.byAgent.map { RatingAgentRow(agentID: $0.key.map(AgentID.init), name: name($0.key, names), ratings: $0.value) }
            .sorted { ($0.ratings.average ?? 0, $0.ratings.count, $1.name) > ($1.ratings.average ?? 0, $1.ratings.count, $0.name) }
        let trend = zip(buckets, current.perBucket).map { RatingPoint(bucket: $0, ratings: $1) }
        return CSATReport(ratings: Comparison(current: current.total, previous: previous), distribution: current.distribution,
                          previousDistribution: previousDistribution, agents: agents, trend: trend)
    }

    static func sla(_ range: ReportRange, _ db: ReportSource) throws -> SLAComplianceReport {
        let current = try db.sla(range.current)
        let previous = try db.sla(range.previous)
        let rows = TicketPriority.allCases.map { p in current.first { $0.priority == p } ?? SLAComplianceRow(priority: p) }
        return SLAComplianceReport(rows: rows, overall: Comparison(current: Self.sum(current), previous: Self.sum(previous)))
    }

    static func sum(_ rows: [SLAComplianceRow]) -> SLAComplianceRow {
        var all = SLAComplianceRow(priority: nil)
        for row in rows {
            all.firstResponseDecided += row.firstResponseDecided
            all.firstResponseMet += row.firstResponseMet
            all.resolutionDecided += row.resolutionDecided
            all.resolutionMet += row.resolutionMet
            all.businessFirstResponse.count += row.businessFirstResponse.count
            all.businessFirstResponse.totalMillis += row.businessFirstResponse.totalMillis
            all.businessResolution.count += row.businessResolution.count
            all.businessResolution.totalMillis += row.businessResolution.totalMillis
        }
        return all
    }

    static func channels(_ range: ReportRange, _ db: ReportSource, _ counted: ReportQueries.Distribution? = nil) throws -> [ChannelRow] {
        let created = try counted?.channel ?? db.createdByChannel(range.current)
        let resolved = try db.resolvedByChannel(range.current)
        return TicketChannel.allCases.map { ChannelRow(channel: $0, created: created[$0.rawValue] ?? 0,
                                                       resolution: resolved[$0.rawValue] ?? DurationTotal()) }
    }
}
