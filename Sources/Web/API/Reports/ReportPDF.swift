import Documents
import Realtime
import Foundation
import Tickets

/// The complete report as a PDF (A4, our `Documents` writer): a running header with the
/// account's name and the range, every section as tables with the same figures the CSV
/// prints (`ReportNumber`: hours and percentages with two decimals, "—" where the CSV has
/// an empty cell), the charts as vector graphics, the definitions, and page numbers; the
/// account's logo heads every page when it has one (`PDFBrand`).
enum ReportPDF {
    static func render(_ r: FullReport, account: String, logo: PDFImage? = nil, font: TrueTypeFont) throws -> [UInt8] {
        let range = "\(r.range.firstDay) to \(r.range.lastDay) (\(r.range.timeZoneID))"
        let document = PDFDocument(font: font, title: "\(account) report, \(range)")
        let layout = PDFLayout(document: document)
        let brand = PDFBrand(document: document, logo: logo)
        layout.header = { page, layout in
            let top = page.height - layout.margin - 10
            let left = brand.draw(on: page, x: layout.margin, top: top + 12)
            page.text(layout.fitted(account, width: layout.contentWidth / 2 - (left - layout.margin), size: 11), x: left, y: top, size: 11)
            let right = "Report · \(range)"
            page.text(right, x: layout.margin + layout.contentWidth - font.width(of: right, size: 9), y: top, size: 9, color: .gray)
            page.line([(layout.margin, top - 8), (layout.margin + layout.contentWidth, top - 8)], width: 0.5, color: .gray)
            return 24
        }
        let w = PDFLayout.Column.self
        func dash(_ text: String) -> String { text.isEmpty ? "—" : text }
        func csat(_ total: RatingTotal) -> String { total.count == 0 ? "—" : "\(ReportNumber.score(total)) (\(total.count))" }

        layout.heading("Overview", size: 16)
        let o = r.overview
        layout.table([w.init("Figure", width: 250), w.init("This period", width: 130, alignRight: true), w.init("Previous period", width: 130, alignRight: true)], [
            ["Total tickets", String(o.totalTickets.current), String(o.totalTickets.previous)],
            ["Open tickets", String(o.openTickets.current), String(o.openTickets.previous)],
            ["Resolved tickets", String(o.resolvedTickets.current), String(o.resolvedTickets.previous)],
            ["Average resolution time (hours)", dash(ReportNumber.hours(o.resolution.current)), dash(ReportNumber.hours(o.resolution.previous))],
            ["Average first response time (hours)", dash(ReportNumber.hours(o.firstResponse.current)), dash(ReportNumber.hours(o.firstResponse.previous))],
        ])

        layout.heading("Trends", size: 16)
        let t = r.trends
        layout.heading("Tickets created and resolved per \(t.interval.rawValue)", size: 11)
        PDFChart(.lines, labels: t.volume.map { String($0.bucket.label.description.dropFirst(5)) },
                 series: [.init("Created", t.volume.map { Double($0.created) }), .init("Resolved", t.volume.map { Double($0.resolved) })]).draw(in: layout)
        layout.table([w.init(t.interval == .day ? "Day" : "Starting", width: 170), w.init("Created", width: 120, alignRight: true), w.init("Resolved", width: 120, alignRight: true)],
                     t.volume.map { [$0.bucket.label.description, String($0.created), String($0.resolved)] })
        for (title, items) in [("By status", t.byStatus.map { ($0.0.displayName, $0.1) }), ("By priority", t.byPriority.map { ($0.0.displayName, $0.1) }),
                               ("By category", t.byCategory.map { ($0.0.displayName, $0.1) })] {
            layout.heading("Tickets created, \(title.lowercased())", size: 11)
            PDFChart(.bars, labels: items.map(\.0), series: [.init("Tickets", items.map { Double($0.1) })], height: 110).draw(in: layout)
            layout.table([w.init("Value", width: 250), w.init("Tickets", width: 120, alignRight: true)], items.map { [$0.0, String($0.1)] })
        }

        layout.heading("Agent performance", size: 16)
        if !r.agents.isEmpty {
            PDFChart(.bars, labels: r.agents.map(\.name), series: [.init("Tickets handled", r.agents.map { Double($0.resolution.count) })], height: 120).draw(in: layout)
        }
        layout.table([w.init("Agent", width: 200), w.init("Tickets handled", width: 90, alignRight: true), w.init("Average resolution (hours)", width: 130, alignRight: true),
                      w.init("Average CSAT", width: 90, alignRight: true)],
                     r.agents.map { [$0.name, String($0.resolution.count), dash(ReportNumber.hours($0.resolution)), csat($0.csat)] })

        layout.heading("SLA compliance", size: 16)
        let rows = r.sla.rows + [r.sla.overall.current]
        func name(_ row: SLAComplianceRow) -> String { row.priority?.displayName ?? "All priorities" }
        PDFChart(.bars, labels: r.sla.rows.map(name), series: [.init("First response %", r.sla.rows.map(\.firstResponsePercent)),
                                                              .init("Resolution %", r.sla.rows.map(\.resolutionPercent))], height: 120).draw(in: layout)
        layout.table([w.init("Priority", width: 100), w.init("First resp. met", width: 80, alignRight: true), w.init("First resp. %", width: 70, alignRight: true),
                      w.init("Resol. met", width: 70, alignRight: true), w.init("Resol. %", width: 60, alignRight: true),
                      w.init("Avg 1st resp. h (bus.)", width: 65, alignRight: true), w.init("Avg resol. h (bus.)", width: 65, alignRight: true)],
                     rows.map { [name($0), "\($0.firstResponseMet) of \($0.firstResponseDecided)", dash(ReportNumber.percent($0.firstResponsePercent)),
                                 "\($0.resolutionMet) of \($0.resolutionDecided)", dash(ReportNumber.percent($0.resolutionPercent)),
                                 dash(ReportNumber.hours($0.businessFirstResponse)), dash(ReportNumber.hours($0.businessResolution))] }, size: 8)
        let previous = r.sla.overall.previous
        layout.paragraph("Previous period, all priorities: first response \(dash(ReportNumber.percent(previous.firstResponsePercent))) %, resolution \(dash(ReportNumber.percent(previous.resolutionPercent))) %.")

        layout.heading("CSAT", size: 16)
        let c = r.csat
        layout.table([w.init("Figure", width: 250), w.init("This period", width: 130, alignRight: true), w.init("Previous period", width: 130, alignRight: true)], [
            ["Ratings", String(c.ratings.current.count), String(c.ratings.previous.count)],
            ["Average score (1 to 5)", dash(ReportNumber.score(c.ratings.current)), dash(ReportNumber.score(c.ratings.previous))],
            ["Satisfied (4 or 5) %", dash(ReportNumber.percent(CSATReport.satisfiedPercent(c.distribution))),
             dash(ReportNumber.percent(CSATReport.satisfiedPercent(c.previousDistribution)))],
        ])
        layout.heading("Distribution of ratings", size: 11)
        let stars = (1...5).map(ReportNumber.stars)
        PDFChart(.bars, labels: stars, series: [.init("Ratings", c.distribution.map(Double.init))], height: 110).draw(in: layout)
        layout.table([w.init("Score", width: 250), w.init("Ratings", width: 120, alignRight: true), w.init("Previous period", width: 120, alignRight: true)],
                     (0..<5).map { [stars[$0], String(c.distribution[$0]), String(c.previousDistribution[$0])] })
        layout.heading("Average score per \(t.interval.rawValue)", size: 11)
        PDFChart(.lines, labels: c.trend.map { String($0.bucket.label.description.dropFirst(5)) },
                 series: [.init("Average score", c.trend.map { $0.ratings.average })], height: 110).draw(in: layout)
        layout.table([w.init(t.interval == .day ? "Day" : "Starting", width: 170), w.init("Ratings", width: 120, alignRight: true),
                      w.init("Average score", width: 120, alignRight: true)],
                     c.trend.map { [$0.bucket.label.description, String($0.ratings.count), dash(ReportNumber.score($0.ratings))] })
        layout.heading("CSAT by agent", size: 11)
        layout.table([w.init("Agent", width: 250), w.init("Ratings", width: 120, alignRight: true), w.init("Average score", width: 120, alignRight: true)],
                     c.agents.map { [$0.name, String($0.ratings.count), dash(ReportNumber.score($0.ratings))] })

        layout.heading("Channels", size: 16)
        PDFChart(.bars, labels: r.channels.map(\.channel.displayName), series: [.init("Created", r.channels.map { Double($0.created) })], height: 110).draw(in: layout)
        layout.table([w.init("Channel", width: 160), w.init("Created", width: 100, alignRight: true), w.init("Resolved", width: 100, alignRight: true),
                      w.init("Average resolution (hours)", width: 150, alignRight: true)],
                     r.channels.map { [$0.channel.displayName, String($0.created), String($0.resolution.count), dash(ReportNumber.hours($0.resolution))] })

        layout.heading("Definitions", size: 16)
        for definition in ReportDefinition.all {
            layout.paragraph(definition.name + ": " + definition.text)
        }
        layout.numberPages()
        return try document.data()
    }
}

/// The font PDFs are written in: DejaVu Sans from Debian's fonts-dejavu-core, read once at
/// the first export from `path` (Latin, Greek and Cyrillic names print).
enum PDFFont {
    static let path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    private static let loaded: Result<TrueTypeFont, Error> = Result {
        try TrueTypeFont(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// The font, or a 503 naming the file and the Debian package when it cannot be read.
    static func font() throws -> TrueTypeFont {
        switch loaded {
        case .success(let font): return font
        case .failure(let error):
            throw ProblemError(status: .serviceUnavailable,
                               detail: "PDF export needs the font \(path) (Debian package fonts-dejavu-core): \(error)")
        }
    }
}
