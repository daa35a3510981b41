import Foundation

/// The complete report as one CSV table in long form, one figure per row, so it reads back
/// into a spreadsheet or a script without parsing section blocks:
/// `Section, Group, Item, Measure, This period, Previous period`. Durations are hours with
/// two decimals, percentages have two decimals, an absent figure (no ticket counted) is an
/// empty cell. Every cell goes through `CSVWriter` (RFC 4180, formula cells neutralised:
/// agent names are typed by people).
enum ReportCSV {
    static let header = ["Section", "Group", "Item", "Measure", "This period", "Previous period"]

    static func csv(_ r: FullReport, byteOrderMark: Bool) -> String {
        var out = (byteOrderMark ? CSVWriter.byteOrderMark : "") + CSVWriter.line(header)
        func row(_ section: String, _ group: String, _ item: String, _ measure: String, _ value: String, _ previous: String = "") {
            out += CSVWriter.line([section, group, item, measure, value, previous])
        }
        let range = r.range
        row("Range", "", "Days", "From", range.firstDay.description, "")
        row("Range", "", "Days", "To", range.lastDay.description, "")
        row("Range", "", "Time zone", "Name", range.timeZoneID, "")
        row("Range", "", "Period", "Start", iso(range.current.start), iso(range.previous.start))
        row("Range", "", "Period", "End", iso(range.current.end), iso(range.previous.end))

        let o = r.overview
        row("Overview", "", "Total tickets", "Tickets", String(o.totalTickets.current), String(o.totalTickets.previous))
        row("Overview", "", "Open tickets", "Tickets", String(o.openTickets.current), String(o.openTickets.previous))
        row("Overview", "", "Resolved tickets", "Tickets", String(o.resolvedTickets.current), String(o.resolvedTickets.previous))
        row("Overview", "", "Average resolution time", "Hours", hours(o.resolution.current), hours(o.resolution.previous))
        row("Overview", "", "Average first response time", "Hours", hours(o.firstResponse.current), hours(o.firstResponse.previous))

        let volume = "Volume by \(r.trends.interval.rawValue)"
        for point in r.trends.volume {
            row("Trends", volume, point.bucket.label.description, "Created", String(point.created))
            row("Trends", volume, point.bucket.label.description, "Resolved", String(point.resolved))
        }
        for (status, count) in r.trends.byStatus { row("Trends", "By status", status.displayName, "Tickets", String(count)) }
        for (priority, count) in r.trends.byPriority { row("Trends", "By priority", priority.displayName, "Tickets", String(count)) }
        for (category, count) in r.trends.byCategory { row("Trends", "By category", category.displayName, "Tickets", String(count)) }

        for agent in r.agents {
            row("Agent performance", "", agent.name, "Tickets handled", String(agent.resolution.count))
            row("Agent performance", "", agent.name, "Average resolution hours", hours(agent.resolution))
            row("Agent performance", "", agent.name, "CSAT ratings", String(agent.csat.count))
            row("Agent performance", "", agent.name, "Average CSAT", score(agent.csat))
        }

        for sla in r.sla.rows + [r.sla.overall.current] {
            let name = sla.priority?.displayName ?? "All priorities"
            let previous = sla.priority == nil ? r.sla.overall.previous : nil
            row("SLA compliance", "", name, "First response decided", String(sla.firstResponseDecided), previous.map { String($0.firstResponseDecided) } ?? "")
            row("SLA compliance", "", name, "First response met", String(sla.firstResponseMet), previous.map { String($0.firstResponseMet) } ?? "")
            row("SLA compliance", "", name, "First response %", percent(sla.firstResponsePercent), previous.map { percent($0.firstResponsePercent) } ?? "")
            row("SLA compliance", "", name, "Resolution decided", String(sla.resolutionDecided), previous.map { String($0.resolutionDecided) } ?? "")
            row("SLA compliance", "", name, "Resolution met", String(sla.resolutionMet), previous.map { String($0.resolutionMet) } ?? "")
            row("SLA compliance", "", name, "Resolution %", percent(sla.resolutionPercent), previous.map { percent($0.resolutionPercent) } ?? "")
            row("SLA compliance", "", name, "Average business first response hours", hours(sla.businessFirstResponse),
                previous.map { hours($0.businessFirstResponse) } ?? "")
            row("SLA compliance", "", name, "Average business resolution hours", hours(sla.businessResolution),
                previous.map { hours($0.businessResolution) } ?? "")
        }

        let c = r.csat
        row("CSAT", "", "All ratings", "Ratings", String(c.ratings.current.count), String(c.ratings.previous.count))
        row("CSAT", "", "All ratings", "Average score", score(c.ratings.current), score(c.ratings.previous))
        row("CSAT", "", "All ratings", "Satisfied %", percent(CSATReport.satisfiedPercent(c.distribution)),
            percent(CSATReport.satisfiedPercent(c.previousDistribution)))
        for (index, count) in c.distribution.enumerated() {
            row("CSAT", "Distribution", ReportNumber.stars(index + 1), "Ratings", String(count), String(c.previousDistribution[index]))
        }
        for agent in c.agents {
            row("CSAT", "By agent", agent.name, "Ratings", String(agent.ratings.count))
            row("CSAT", "By agent", agent.name, "Average score", score(agent.ratings))
        }
        let trend = "Trend by \(r.trends.interval.rawValue)"
        for point in c.trend {
            row("CSAT", trend, point.bucket.label.description, "Ratings", String(point.ratings.count))
            row("CSAT", trend, point.bucket.label.description, "Average score", score(point.ratings))
        }

        for channel in r.channels {
            row("Channels", "", channel.channel.displayName, "Created", String(channel.created))
            row("Channels", "", channel.channel.displayName, "Resolved", String(channel.resolution.count))
            row("Channels", "", channel.channel.displayName, "Average resolution hours", hours(channel.resolution))
        }
        return out
    }

    static func hours(_ total: DurationTotal) -> String { ReportNumber.hours(total) }
    static func percent(_ value: Double?) -> String { ReportNumber.percent(value) }
    static func score(_ total: RatingTotal) -> String { ReportNumber.score(total) }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// How the exports print figures, so the CSV and the PDF carry the same numbers.
public enum ReportNumber {
    /// An average duration in hours with two decimals, or "" when no ticket counted.
    public static func hours(_ total: DurationTotal) -> String {
        total.averageSeconds.map { String(format: "%.2f", $0 / 3600) } ?? ""
    }

    /// A score's name: "1 star", "2 stars"...
    public static func stars(_ score: Int) -> String { score == 1 ? "1 star" : "\(score) stars" }

    /// An average CSAT score with two decimals, or "" without ratings.
    public static func score(_ total: RatingTotal) -> String {
        total.average.map { String(format: "%.2f", $0) } ?? ""
    }

    /// A percentage with two decimals, or "" when nothing is decided.
    public static func percent(_ value: Double?) -> String {
        value.map { String(format: "%.2f", $0) } ?? ""
    }
}

extension ReportService {
    /// Every section for `range` as CSV (`ReportCSV`), optionally with a UTF-8 BOM. Needs `reports.view`.
    public func exportCSV(_ range: ReportRange, interval: ReportInterval, byteOrderMark: Bool = false, for viewer: Actor) async throws
        -> String
    {
        ReportCSV.csv(try await fullReport(range, interval: interval, for: viewer), byteOrderMark: byteOrderMark)
    }
}
