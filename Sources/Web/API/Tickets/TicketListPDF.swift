import Documents
import Foundation
import Tickets

/// The filtered ticket list as a PDF: A4 landscape, the account's name, the filter and the
/// time of export on every page, one table row per ticket with the header row repeated on
/// each page, and page numbers.
enum TicketListPDF {
    static let columns: [PDFLayout.Column] = [
        .init("Reference", width: 58), .init("Subject", width: 188), .init("Status", width: 62), .init("Priority", width: 48),
        .init("Category", width: 68), .init("Channel", width: 44), .init("Requester", width: 92), .init("Assignee", width: 80),
        .init("Created", width: 58), .init("Updated", width: 58),
    ]

    static func render(rows: [[String]], truncated: Bool, filter: String, account: String, at: Date, font: TrueTypeFont) throws -> [UInt8] {
        let document = PDFDocument(font: font, title: "\(account) tickets")
        let layout = PDFLayout(document: document)
        layout.pageSize = (width: PDFDocument.a4.height, height: PDFDocument.a4.width)
        let stamp = ISO8601DateFormatter().string(from: at)
        layout.header = { page, layout in
            let top = page.height - layout.margin - 10
            page.text(layout.fitted("\(account) · Tickets", width: layout.contentWidth / 2, size: 11), x: layout.margin, y: top, size: 11)
            let right = "Exported \(stamp)"
            page.text(right, x: layout.margin + layout.contentWidth - font.width(of: right, size: 8), y: top, size: 8, color: .gray)
            page.text(layout.fitted("Filter: \(filter)", width: layout.contentWidth, size: 8), x: layout.margin, y: top - 14, size: 8, color: .gray)
            page.line([(layout.margin, top - 20), (layout.margin + layout.contentWidth, top - 20)], width: 0.5, color: .gray)
            return 30
        }
        // Dates print as days (UTC): the column has no room for the time.
        layout.table(columns, rows.isEmpty ? [["", "No tickets match this filter."]] : rows.map { row in
            row.enumerated().map { index, cell in index >= 8 ? String(cell.prefix(10)) : cell }
        }, size: 7)
        layout.paragraph("\(rows.count) tickets\(truncated ? "; the first \(TicketService.maxPDFRows) are shown, narrow the filter for the rest" : ""). Dates are UTC.",
                         size: 8, color: .gray)
        layout.numberPages()
        return try document.data()
    }
}
