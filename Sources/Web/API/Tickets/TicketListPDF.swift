import Documents
import Foundation
import Tickets

/// The filtered ticket list as a PDF: A4 landscape, the account's logo and name, the filter
/// and the time of export on every page, one table row per ticket with the header row
/// repeated on each page, and "Page n of N". Written while the rows are read, page of rows by
/// page of rows, and sent as it is written (`StreamedBody`): memory stays flat however long
/// the list (the font subset, the page tree and the page count go out at the end).
enum TicketListPDF {
    static let columns: [PDFLayout.Column] = [
        .init("Reference", width: 58), .init("Subject", width: 188), .init("Status", width: 62), .init("Priority", width: 48),
        .init("Category", width: 68), .init("Channel", width: 44), .init("Requester", width: 92), .init("Assignee", width: 80),
        .init("Created", width: 58), .init("Updated", width: 58),
    ]

    typealias Page = (rows: [[String]], next: TicketService.ExportPosition?)

    /// Writes the list into `body`: `first` is the first page of rows (read before the
    /// response started, so a bad filter still gets its 422), `more` reads the page after a
    /// position. At most `TicketService.maxPDFRows` rows; the last line says how many.
    static func stream(first: Page, more: @escaping (TicketService.ExportPosition) async throws -> Page, into body: StreamedBody,
                       filter: String, account: String, logo: PDFImage?, at: Date, font: TrueTypeFont) async throws {
        let document = PDFDocument(font: font, title: "\(account) tickets")
        let layout = PDFLayout(document: document)
        layout.pageSize = (width: PDFDocument.a4.height, height: PDFDocument.a4.width)
        layout.numbersEachPage = true
        let stamp = ISO8601DateFormatter().string(from: at)
        let brand = PDFBrand(document: document, logo: logo)
        layout.header = { page, layout in
            let top = page.height - layout.margin - 10
            // The logo's foot stays above the filter line below the title.
            let left = brand.draw(on: page, x: layout.margin, top: top + 11)
            page.text(layout.fitted("\(account) · Tickets", width: layout.contentWidth / 2, size: 11), x: left, y: top, size: 11)
            let right = "Exported \(stamp)"
            page.text(right, x: layout.margin + layout.contentWidth - font.width(of: right, size: 8), y: top, size: 8, color: .gray)
            page.text(layout.fitted("Filter: \(filter)", width: layout.contentWidth, size: 8), x: layout.margin, y: top - 14, size: 8, color: .gray)
            page.line([(layout.margin, top - 20), (layout.margin + layout.contentWidth, top - 20)], width: 0.5, color: .gray)
            return 30
        }
        var (rows, next) = first
        var count = 0
        // Dates print as days (UTC): the column has no room for the time.
        func cells(_ rows: ArraySlice<[String]>) -> [[String]] {
            rows.map { row in row.enumerated().map { index, cell in index >= 8 ? String(cell.prefix(10)) : cell } }
        }
        if rows.isEmpty { layout.table(columns, [["", "No tickets match this filter."]], size: 7, closes: false) }
        while !rows.isEmpty {
            let taken = rows.prefix(TicketService.maxPDFRows - count)
            layout.table(columns, cells(taken), size: 7, continues: count > 0, closes: false)
            count += taken.count
            var bytes: [UInt8] = []
            try document.writeCompletedPages { bytes += $0 }
            try await body.write(bytes)
            guard let position = next, count < TicketService.maxPDFRows else { break }
            (rows, next) = try await more(position)
        }
        layout.y -= 7
        let truncated = next != nil && count >= TicketService.maxPDFRows
        layout.paragraph("\(count) tickets\(truncated ? "; the first \(TicketService.maxPDFRows) are shown, narrow the filter or export CSV for the rest" : ""). Dates are UTC.",
                         size: 8, color: .gray)
        var bytes: [UInt8] = []
        try document.write { bytes += $0 }
        try await body.write(bytes)
    }
}

/// The account's logo at the left of a PDF's running header, scaled to `height` points (at
/// most `maxWidth` wide, keeping its proportions); nothing without a logo.
struct PDFBrand {
    static let height = 16.0
    static let maxWidth = 90.0
    let image: (id: PDFDocument.ImageID, width: Double, height: Double)?

    init(document: PDFDocument, logo: PDFImage?) {
        image = logo.map { logo in
            let scale = min(Self.height / Double(logo.height), Self.maxWidth / Double(logo.width))
            return (document.add(logo), Double(logo.width) * scale, Double(logo.height) * scale)
        }
    }

    /// Draws the logo with its top at `top`; returns where the text after it starts.
    func draw(on page: PDFPage, x: Double, top: Double) -> Double {
        guard let image else { return x }
        page.image(image.id, x: x, y: top - image.height, width: image.width, height: image.height)
        return x + image.width + 8
    }

    /// The account's logo as a PDF image, nil without one. A WebP logo (PDF has no WebP
    /// filter, and we write no decoder) and a PNG kind `PDFImage` refuses print without it.
    static func logo(_ settings: AccountSettingsService) async throws -> PDFImage? {
        guard let logo = try await settings.logo() else { return nil }
        do {
            return try PDFImage(logo.bytes)
        } catch {
            return nil
        }
    }
}
