import Foundation
import Realtime
import Tickets

/// `/api/reports`: the report sections as JSON for a date range. Every route needs
/// `reports.view`. Query: `range` (a `ReportPreset`, default `last_30_days`), `from` and `to`
/// (`YYYY-MM-DD`, for `range=custom`), and for Trends, CSAT and the full report `interval`
/// (`day`, `week` or `month`; default `day` up to 92 days, else `week`). A bad value is a
/// 422 naming the parameter.
enum ReportsAPI {
    /// Longest range whose default interval is a day (about a quarter: at most 92 bars).
    static let maxDailyDays = 92

    struct DefinitionsJSON: Encodable {
        let definitions: [ReportDefinition]
    }

    static func register(_ routes: APIRoutes) {
        let reports = routes.services.reports
        routes.api(.get, "/api/reports/definitions", permission: .reportsView) { _ in
            try JSONBody.response(DefinitionsJSON(definitions: ReportDefinition.all))
        }
        routes.api(.get, "/api/reports", permission: .reportsView) { request in
            let range = try await range(request, reports)
            let report = try await reports.fullReport(range, interval: try interval(request, range), for: request.actor)
            return try JSONBody.response(FullReportJSON(report))
        }
        routes.api(.get, "/api/reports/export.csv", permission: .reportsView) { request in
            let range = try await range(request, reports)
            let bom = ["1", "true"].contains(request.http.queryValue("bom") ?? "")
            let csv = try await reports.exportCSV(range, interval: try interval(request, range), byteOrderMark: bom, for: request.actor)
            var response = HTTPResponse.text(csv, contentType: MediaTypes.csv)
            response.headers.set("Content-Disposition", "attachment; filename=\"\(fileName(range)).csv\"")
            response.headers.set("X-Content-Type-Options", "nosniff")
            return response
        }
        routes.api(.get, "/api/reports/export.pdf", permission: .reportsView) { request in
            let range = try await range(request, reports)
            let font = try PDFFont.font()
            let report = try await reports.fullReport(range, interval: try interval(request, range), for: request.actor)
            let settings = AccountSettingsService(database: routes.services.database, now: routes.services.now)
            let account = try await settings.settings().name
            let logo = try await PDFBrand.logo(settings)
            var response = HTTPResponse(status: .ok, body: .bytes(try ReportPDF.render(report, account: account, logo: logo, font: font)))
            response.headers.set("Content-Type", "application/pdf")
            response.headers.set("Content-Disposition", "attachment; filename=\"\(fileName(range)).pdf\"")
            response.headers.set("X-Content-Type-Options", "nosniff")
            return response
        }
        routes.api(.get, "/api/reports/overview", permission: .reportsView) { request in
            let range = try await range(request, reports)
            return try JSONBody.response(OverviewJSON(try await reports.overview(range, for: request.actor), range))
        }
        routes.api(.get, "/api/reports/trends", permission: .reportsView) { request in
            let range = try await range(request, reports)
            let trends = try await reports.trends(range, interval: try interval(request, range), for: request.actor)
            return try JSONBody.response(TrendsJSON(trends, range))
        }
        routes.api(.get, "/api/reports/agents", permission: .reportsView) { request in
            let range = try await range(request, reports)
            return try JSONBody.response(AgentsJSON(try await reports.agents(range, for: request.actor), range))
        }
        routes.api(.get, "/api/reports/sla", permission: .reportsView) { request in
            let range = try await range(request, reports)
            return try JSONBody.response(SLAJSON(try await reports.sla(range, for: request.actor), range))
        }
        routes.api(.get, "/api/reports/csat", permission: .reportsView) { request in
            let range = try await range(request, reports)
            let interval = try interval(request, range)
            return try JSONBody.response(CSATJSON(try await reports.csat(range, interval: interval, for: request.actor), interval: interval, range))
        }
        routes.api(.get, "/api/reports/channels", permission: .reportsView) { request in
            let range = try await range(request, reports)
            return try JSONBody.response(ChannelsJSON(try await reports.channels(range, for: request.actor), range))
        }
    }

    /// The range the query asks for. Throws a 422 naming `range`, `from` or `to`.
    static func range(_ request: APIRequest, _ reports: ReportService) async throws -> ReportRange {
        let raw = request.http.queryValue("range") ?? ReportPreset.last30Days.rawValue
        guard let preset = ReportPreset(rawValue: raw) else {
            throw ProblemError.unprocessable("Use one of \(ReportPreset.allCases.map(\.rawValue).joined(separator: ", ")).",
                                             field: "range")
        }
        return try await reports.range(preset, from: try day(request, "from"), to: try day(request, "to"), for: request.actor)
    }

    /// `report-<first day>-to-<last day>`: dates only, so no header escaping is needed.
    static func fileName(_ range: ReportRange) -> String { "report-\(range.firstDay)-to-\(range.lastDay)" }

    static func day(_ request: APIRequest, _ name: String) throws -> LocalDate? {
        guard let raw = request.http.queryValue(name) else { return nil }
        guard let date = LocalDate(iso: raw) else { throw ProblemError.unprocessable("Use a YYYY-MM-DD date.", field: name) }
        return date
    }

    static func interval(_ request: APIRequest, _ range: ReportRange) throws -> ReportInterval {
        guard let raw = request.http.queryValue("interval") else {
            return range.lastDay.dayNumber - range.firstDay.dayNumber < maxDailyDays ? .day : .week
        }
        guard let interval = ReportInterval(rawValue: raw) else {
            throw ProblemError.unprocessable("Use day, week or month.", field: "interval")
        }
        return interval
    }
}
