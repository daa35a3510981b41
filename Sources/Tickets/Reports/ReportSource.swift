import Foundation

/// Where one read of a report gets its figures: the roll-up for a period's whole UTC days
/// plus the plain queries (`ReportQueries`) for its partial days at either end, or the plain
/// queries alone when the roll-up cannot answer (`RollupView.open` returned nil) or is not
/// wanted. Each method answers what the `ReportQueries` method of the same name answers.
struct ReportSource {
    let db: Connection
    let rollup: RollupView?

    init(_ db: Connection, useRollup: Bool) throws {
        self.db = db
        rollup = useRollup ? try RollupView.open(db) : nil
    }

    /// `period` as whole UTC days (day numbers) and the partial spans before and after them.
    static func split(_ period: ReportPeriod) -> (days: Range<Int64>, edges: [ReportPeriod]) {
        let day = ReportRollup.dayMillis
        let (start, end) = (SQLDate.millis(period.start), SQLDate.millis(period.end))
        let first = start >= 0 ? (start + day - 1) / day : start / day
        let last = end / day
        guard first < last else { return (0..<0, [period]) }
        let edges = [ReportPeriod(start: period.start, end: SQLDate.date(first * day)),
                     ReportPeriod(start: SQLDate.date(last * day), end: period.end)]
        return (first..<last, edges.filter { SQLDate.millis($0.start) < SQLDate.millis($0.end) })
    }

    /// Roll-up sums of `measures` over the period's whole days and `plain` over its edges;
    /// `plain` over the whole period without a roll-up.
    private func combine<T>(_ period: ReportPeriod, _ measures: [String], plain: (ReportPeriod) throws -> T,
                            rolled: (RollupSums) -> T, add: (T, T) -> T) throws -> T {
        guard let rollup else { return try plain(period) }
        let (days, edges) = Self.split(period)
        var result = rolled(try rollup.sums(days: days, measures: measures))
        for edge in edges { result = add(result, try plain(edge)) }
        return result
    }

    private static func plus(_ a: DurationTotal, _ b: DurationTotal) -> DurationTotal {
        DurationTotal(count: a.count + b.count, totalMillis: a.totalMillis + b.totalMillis)
    }

    private static func merge<K>(_ a: [K: Int], _ b: [K: Int]) -> [K: Int] { a.merging(b, uniquingKeysWith: +) }

    func created(_ period: ReportPeriod) throws -> (total: Int, open: Int, firstResponse: DurationTotal) {
        try combine(period, ["created", "status", "first_response"], plain: { try ReportQueries.created($0, db) }, rolled: { s in
            (s.n("created"), TicketStatus.allCases.filter(\.isActive).reduce(0) { $0 + s.n("status", $1.rawValue) },
             s.duration("first_response"))
        }, add: { a, b in (a.total + b.total, a.open + b.open, Self.plus(a.firstResponse, b.firstResponse)) })
    }

    func resolved(_ period: ReportPeriod) throws -> DurationTotal {
        try combine(period, ["resolved"], plain: { try ReportQueries.resolved($0, db) }, rolled: { $0.duration("resolved") }, add: Self.plus)
    }

    func createdCount(_ period: ReportPeriod) throws -> Int {
        try combine(period, ["created"], plain: { try ReportQueries.createdCount($0, db) }, rolled: { $0.n("created") }, add: +)
    }

    func resolvedCount(_ period: ReportPeriod) throws -> Int {
        try combine(period, ["resolved"], plain: { try ReportQueries.resolvedCount($0, db) }, rolled: { $0.n("resolved") }, add: +)
    }

    func distribution(_ period: ReportPeriod) throws -> ReportQueries.Distribution {
        try combine(period, ["status", "priority", "category", "channel"], plain: { try ReportQueries.distribution($0, db) }, rolled: { s in
            var d = ReportQueries.Distribution()
            for key in s.keys("status") { d.status[key] = s.n("status", key) }
            for key in s.keys("priority") { d.priority[key] = s.n("priority", key) }
            for key in s.keys("category") { d.category[key] = s.n("category", key) }
            for key in s.keys("channel") { d.channel[key] = s.n("channel", key) }
            return d
        }, add: { a, b in
            ReportQueries.Distribution(status: Self.merge(a.status, b.status), priority: Self.merge(a.priority, b.priority),
                                       category: Self.merge(a.category, b.category), channel: Self.merge(a.channel, b.channel))
        })
    }

    func createdByChannel(_ period: ReportPeriod) throws -> [String: Int] {
        try combine(period, ["channel"], plain: { try ReportQueries.createdByChannel($0, db) }, rolled: { s in
            Dictionary(uniqueKeysWithValues: s.keys("channel").map { ($0, s.n("channel", $0)) })
        }, add: Self.merge)
    }

    func resolvedByAgent(_ period: ReportPeriod) throws -> [(Int64?, DurationTotal)] {
        let totals: [Int64?: DurationTotal] = try combine(period, ["agent"], plain: { rows in
            Dictionary(try ReportQueries.resolvedByAgent(rows, db), uniquingKeysWith: Self.plus)
        }, rolled: { s in
            Dictionary(s.keys("agent").map { (Int64($0), s.duration("agent", $0)) }, uniquingKeysWith: Self.plus)
        }, add: { $0.merging($1, uniquingKeysWith: Self.plus) })
        return totals.filter { $0.value.count != 0 }.map { ($0.key, $0.value) }
    }

    func resolvedByChannel(_ period: ReportPeriod) throws -> [String: DurationTotal] {
        try combine(period, ["resolved_channel"], plain: { try ReportQueries.resolvedByChannel($0, db) }, rolled: { s in
            Dictionary(uniqueKeysWithValues: s.keys("resolved_channel").map { ($0, s.duration("resolved_channel", $0)) })
        }, add: { $0.merging($1, uniquingKeysWith: Self.plus) })
    }

    static let slaMeasures = ["sla_fr_decided", "sla_fr_met", "sla_fr_time", "sla_res_decided", "sla_res_met", "sla_res_time"]

    func sla(_ period: ReportPeriod) throws -> [SLAComplianceRow] {
        let rows: [TicketPriority: SLAComplianceRow] = try combine(period, Self.slaMeasures, plain: { edge in
            Dictionary(uniqueKeysWithValues: try ReportQueries.sla(edge, db).compactMap { row in row.priority.map { ($0, row) } })
        }, rolled: { s in
            Dictionary(uniqueKeysWithValues: TicketPriority.allCases.map { p in
                var row = SLAComplianceRow(priority: p)
                row.firstResponseDecided = s.n("sla_fr_decided", p.rawValue)
                row.firstResponseMet = s.n("sla_fr_met", p.rawValue)
                row.businessFirstResponse = s.duration("sla_fr_time", p.rawValue)
                row.resolutionDecided = s.n("sla_res_decided", p.rawValue)
                row.resolutionMet = s.n("sla_res_met", p.rawValue)
                row.businessResolution = s.duration("sla_res_time", p.rawValue)
                return (p, row)
            })
        }, add: { a, b in a.merging(b) { ReportService.sum([$0, $1]).with(priority: $0.priority) } })
        return TicketPriority.allCases.compactMap { rows[$0] }
    }
}

extension SLAComplianceRow {
    /// The same figures under `priority`.
    func with(priority: TicketPriority?) -> SLAComplianceRow {
        var row = SLAComplianceRow(priority: priority)
        row.firstResponseDecided = firstResponseDecided
        row.firstResponseMet = firstResponseMet
        row.resolutionDecided = resolutionDecided
        row.resolutionMet = resolutionMet
        row.businessFirstResponse = businessFirstResponse
        row.businessResolution = businessResolution
        return row
    }
}
