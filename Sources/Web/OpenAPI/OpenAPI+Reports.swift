import Foundation
import Tickets

extension OpenAPIDocument {
    /// `/api/reports`: the report sections for a date range (`reports.view`).
    static var reports: Part {
        let rangeParameters: [[String: Any]] = [
            ["name": "range", "in": "query", "schema": ["type": "string", "enum": ReportPreset.allCases.map(\.rawValue), "default": "last_30_days"],
             "description": "The date range, in the account's time zone (the default SLA policy's zone)."],
            ["name": "from", "in": "query", "schema": ["type": "string", "format": "date"],
             "description": "First day of a custom range (YYYY-MM-DD, required with range=custom)."],
            ["name": "to", "in": "query", "schema": ["type": "string", "format": "date"],
             "description": "Last day of a custom range, included (at most \(ReportRange.maxDays) days from `from`)."],
        ]
        let intervalParameter: [String: Any] = [
            "name": "interval", "in": "query", "schema": ["type": "string", "enum": ReportInterval.allCases.map(\.rawValue)],
            "description": "Volume grouping; default day for ranges up to \(ReportsAPI.maxDailyDays) days, else week. Weeks start on Monday.",
        ]
        func section(_ summary: String, _ schema: String, interval: Bool = false) -> [String: Any] {
            operation(summary, permission: Permission.reportsView.rawValue, responses: [
                "200": jsonResponse("The section for the range, with the range it resolved to.", schema: ref(schema)),
                "422": problem("A bad range, from, to or interval; `field` names it (a custom range needs from and to, from <= to, at most \(ReportRange.maxDays) days)."),
            ]).merging(["parameters": rangeParameters + (interval ? [intervalParameter] : [])]) { mine, _ in mine }
        }
        let nullableSeconds: [String: Any] = ["type": ["number", "null"], "description": "Seconds; null when no ticket counted."]
        let nullableScore: [String: Any] = ["type": ["number", "null"], "description": "Average rating from 1 to 5 (two decimals); null without ratings."]
        let nullablePercent: [String: Any] = ["type": ["number", "null"], "description": "Percent (0-100, two decimals); null when nothing is decided."]
        func pair(_ schema: [String: Any]) -> [String: Any] {
            ["type": "object", "required": ["current", "previous"], "properties": ["current": schema, "previous": schema]]
        }
        func object(_ properties: [String: Any], description: String? = nil) -> [String: Any] {
            var result: [String: Any] = ["type": "object", "required": Array(properties.keys).sorted(), "properties": properties]
            if let description { result["description"] = description }
            return result
        }
        let period = object(["start": ["type": "string", "format": "date-time"], "end": ["type": "string", "format": "date-time"]],
                            description: "A half-open span [start, end).")
        let count = object(["key": ["type": "string"], "name": ["type": "string"], "count": ["type": "integer"]])
        let slaRow = object([
            "priority": ["type": ["string", "null"], "enum": (TicketPriority.allCases.map(\.rawValue) as [Any]) + [NSNull()], "description": "null for all priorities together."],
            "firstResponseDecided": ["type": "integer"], "firstResponseMet": ["type": "integer"], "firstResponsePercent": nullablePercent,
            "resolutionDecided": ["type": "integer"], "resolutionMet": ["type": "integer"], "resolutionPercent": nullablePercent,
            "averageBusinessFirstResponseSeconds": nullableSeconds, "averageBusinessResolutionSeconds": nullableSeconds,
        ])
        return Part(
            paths: [
                "/api/reports": ["get": section("Every report section for a range, with the metric definitions", "FullReport", interval: true)],
                "/api/reports/export.csv": ["get": operation("Every section for a range as CSV (RFC 4180, UTF-8, formulas neutralised)", permission: Permission.reportsView.rawValue, responses: [
                    "200": ["description": "Content-Disposition: attachment; filename=\"report-FIRST-to-LAST.csv\". One figure per row: Section, Group, Item, Measure, This period, Previous period; durations in hours, percentages with two decimals, an empty cell where no ticket counted.",
                            "content": ["text/csv": ["schema": ["type": "string"]]]],
                    "422": problem("A bad range, from, to or interval; `field` names it."),
                ]).merging(["parameters": rangeParameters + [intervalParameter, ["name": "bom", "in": "query", "schema": ["type": "string", "enum": ["1", "true"]], "description": "Start with a UTF-8 byte order mark."]]]) { mine, _ in mine }],
                "/api/reports/export.pdf": ["get": operation("Every section for a range as a PDF (A4, tables, charts, definitions, page numbers)", permission: Permission.reportsView.rawValue, responses: [
                    "200": ["description": "Content-Disposition: attachment; filename=\"report-FIRST-to-LAST.pdf\". The figures print as in the CSV (hours and percentages with two decimals, an em dash for an empty cell); the account's logo (PNG or JPEG; not WebP) heads every page.",
                            "content": ["application/pdf": ["schema": ["type": "string", "contentMediaType": "application/pdf"]]]],
                    "422": problem("A bad range, from, to or interval; `field` names it."),
                    "503": problem("The PDF font (DejaVu Sans, Debian package fonts-dejavu-core) cannot be read."),
                ]).merging(["parameters": rangeParameters + [intervalParameter]]) { mine, _ in mine }],
                "/api/reports/definitions": ["get": operation("The written definition of every report figure", permission: Permission.reportsView.rawValue, responses: [
                    "200": jsonResponse("Definitions in section order.", schema: object(["definitions": ["type": "array", "items": ref("ReportDefinition")]])),
                ])],
                "/api/reports/overview": ["get": section("Overview: total, open and resolved tickets and average times, beside the previous period", "OverviewReport")],
                "/api/reports/trends": ["get": section("Trends: volume over time and the distribution by status, priority and category", "TrendsReport", interval: true)],
                "/api/reports/agents": ["get": section("Agent performance: tickets handled, average resolution and average CSAT per agent", "AgentsReport")],
                "/api/reports/sla": ["get": section("SLA compliance per priority", "SLAReport")],
                "/api/reports/csat": ["get": section("CSAT: ratings answered in the range (average, distribution, satisfied share), by resolving agent, and over time", "CSATReport", interval: true)],
                "/api/reports/channels": ["get": section("Channels: volume and average resolution per channel", "ChannelsReport")],
            ],
            schemas: [
                "ReportDefinition": object(["id": ["type": "string"], "name": ["type": "string"], "text": ["type": "string"]]),
                "ReportRange": object([
                    "preset": ["type": "string", "enum": ReportPreset.allCases.map(\.rawValue)],
                    "timeZone": ["type": "string"], "firstDay": ["type": "string", "format": "date"],
                    "lastDay": ["type": "string", "format": "date"], "current": period, "previous": period,
                ]),
                "OverviewReport": object([
                    "range": ref("ReportRange"), "totalTickets": pair(["type": "integer"]), "openTickets": pair(["type": "integer"]),
                    "resolvedTickets": pair(["type": "integer"]), "averageResolutionSeconds": pair(nullableSeconds),
                    "averageFirstResponseSeconds": pair(nullableSeconds),
                ]),
                "TrendsReport": object([
                    "range": ref("ReportRange"), "interval": ["type": "string", "enum": ReportInterval.allCases.map(\.rawValue)],
                    "volume": ["type": "array", "items": object([
                        "date": ["type": "string", "format": "date", "description": "The local day, Monday or 1st the bucket starts on."],
                        "start": ["type": "string", "format": "date-time"], "end": ["type": "string", "format": "date-time"],
                        "created": ["type": "integer"], "resolved": ["type": "integer"],
                    ])],
                    "byStatus": ["type": "array", "items": count], "byPriority": ["type": "array", "items": count],
                    "byCategory": ["type": "array", "items": count],
                ]),
                "AgentsReport": object([
                    "range": ref("ReportRange"),
                    "csatAvailable": ["type": "boolean", "description": "Always true (surveys are recorded); kept for older clients."],
                    "agents": ["type": "array", "items": object([
                        "agentId": ["type": ["integer", "null"], "description": "null: resolved tickets assigned to nobody, and ratings of resolutions no agent made."],
                        "name": ["type": "string"], "ticketsHandled": ["type": "integer"], "averageResolutionSeconds": nullableSeconds,
                        "csatRatings": ["type": "integer", "description": "Ratings answered in the range of resolutions by this agent."],
                        "averageCsat": nullableScore,
                    ])],
                ]),
                "CSATRatings": object([
                    "ratings": ["type": "integer"], "averageScore": nullableScore,
                    "satisfiedPercent": ["type": ["number", "null"], "description": "Ratings of 4 or 5 in percent (two decimals); null without ratings."],
                    "distribution": ["type": "array", "items": ["type": "integer"], "minItems": 5, "maxItems": 5,
                                     "description": "Ratings per score: 1 star first, 5 stars last."],
                ]),
                "CSATReport": object([
                    "range": ref("ReportRange"), "interval": ["type": "string", "enum": ReportInterval.allCases.map(\.rawValue)],
                    "overall": pair(ref("CSATRatings")),
                    "agents": ["type": "array", "description": "Highest average first.", "items": object([
                        "agentId": ["type": ["integer", "null"], "description": "null: resolutions no agent made."],
                        "name": ["type": "string"], "ratings": ["type": "integer"], "averageScore": nullableScore,
                    ])],
                    "trend": ["type": "array", "items": object([
                        "date": ["type": "string", "format": "date", "description": "The local day, Monday or 1st the bucket starts on."],
                        "start": ["type": "string", "format": "date-time"], "end": ["type": "string", "format": "date-time"],
                        "ratings": ["type": "integer"], "averageScore": nullableScore,
                    ])],
                ]),
                "SLAReport": object(["range": ref("ReportRange"), "priorities": ["type": "array", "items": slaRow], "overall": pair(slaRow)]),
                "ChannelsReport": object([
                    "range": ref("ReportRange"),
                    "channels": ["type": "array", "items": object([
                        "channel": ["type": "string", "enum": TicketChannel.allCases.map(\.rawValue)], "name": ["type": "string"],
                        "created": ["type": "integer"], "resolved": ["type": "integer"], "averageResolutionSeconds": nullableSeconds,
                    ])],
                ]),
                "FullReport": object([
                    "range": ref("ReportRange"), "overview": ref("OverviewReport"), "trends": ref("TrendsReport"),
                    "agents": ref("AgentsReport"), "sla": ref("SLAReport"), "csat": ref("CSATReport"), "channels": ref("ChannelsReport"),
                    "definitions": ["type": "array", "items": ref("ReportDefinition")],
                ]),
            ])
    }
}
