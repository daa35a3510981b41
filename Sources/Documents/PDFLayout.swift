/// Flowing layout over a `PDFDocument`: a cursor moving down the page, a new page when the
/// next block does not fit (with the running header drawn first), wrapped paragraphs,
/// tables that break across pages repeating their header row, and page numbers at the end.
public final class PDFLayout {
    public struct Column: Sendable {
        public let title: String
        public let width: Double
        public let alignRight: Bool
        public init(_ title: String, width: Double, alignRight: Bool = false) {
            (self.title, self.width, self.alignRight) = (title, width, alignRight)
        }
    }

    public let document: PDFDocument
    public let margin = 42.0
    public var header: (PDFPage, PDFLayout) -> Double = { _, _ in 0 }
    /// Size of new pages in points (A4 portrait unless changed).
    public var pageSize = PDFDocument.a4
    /// Draws "Page n of N" on each page as it starts (N through `PDFPage.pageCount`), for a
    /// document written while it grows; otherwise `numberPages()` numbers them at the end.
    public var numbersEachPage = false
    public private(set) var page: PDFPage!
    public var y = 0.0
    var font: TrueTypeFont { document.font }

    public init(document: PDFDocument) { self.document = document }

    public var contentWidth: Double { (page?.width ?? pageSize.width) - 2 * margin }
    var bottom: Double { margin + 18 }

    /// Starts a page and draws the running header; the cursor goes below it.
    public func newPage() {
        page = document.addPage(width: pageSize.width, height: pageSize.height)
        y = page.height - margin
        y -= header(page, self)
        if numbersEachPage {
            let text = "Page \(document.pageCount) of "
            page.text(text, x: margin, y: margin / 2, size: 8, color: .gray)
            page.pageCount(x: margin + font.width(of: text, size: 8), y: margin / 2, size: 8, color: .gray)
        }
    }

    /// Makes room for `height` points, starting a page when the current one is too full.
    public func ensure(_ height: Double) {
        if page == nil || y - height < bottom { newPage() }
    }

    /// A line of text in `size` points, cut with an ellipsis to `width`.
    public func fitted(_ text: String, width: Double, size: Double) -> String {
        guard font.width(of: text, size: size) > width else { return text }
        var cut = text
        while !cut.isEmpty, font.width(of: cut + "…", size: size) > width { cut.removeLast() }
        return cut + "…"
    }

    /// A heading with space above it.
    public func heading(_ text: String, size: Double = 14) {
        ensure(size * 2.4)
        y -= size * 1.3
        page.text(fitted(text, width: contentWidth, size: size), x: margin, y: y, size: size)
        y -= size * 0.6
    }

    /// A paragraph wrapped at word boundaries to the content width.
    public func paragraph(_ text: String, size: Double = 9, color: PDFColor = .black) {
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if font.width(of: candidate, size: size) > contentWidth, !line.isEmpty {
                emit(line, size, color)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { emit(line, size, color) }
        y -= size * 0.5
    }

    private func emit(_ line: String, _ size: Double, _ color: PDFColor) {
        ensure(size * 1.35)
        y -= size * 1.35
        page.text(fitted(line, width: contentWidth, size: size), x: margin, y: y, size: size, color: color)
    }

    /// A table: a shaded header row, then `rows`; when a page fills, the table continues on
    /// the next page under a repeated header row. A table written in parts (rows arriving in
    /// pages) passes `continues` for every part after the first (no header row where it
    /// resumes) and `closes: false` for every part but the last (no space after it).
    public func table(_ columns: [Column], _ rows: [[String]], size: Double = 9, continues: Bool = false, closes: Bool = true) {
        let rowHeight = size * 1.8
        func headerRow() {
            page.rectangle(x: margin, y: y - rowHeight, width: columns.reduce(0) { $0 + $1.width }, height: rowHeight, fill: .lightGray)
            draw(columns.map(\.title), columns, size)
        }
        if !continues {
            ensure(rowHeight * 2)
            headerRow()
        }
        for row in rows {
            if page == nil || y - rowHeight < bottom { newPage(); headerRow() }
            draw(row, columns, size)
        }
        if closes { y -= size }
    }

    private func draw(_ cells: [String], _ columns: [Column], _ size: Double) {
        let rowHeight = size * 1.8
        var x = margin
        for (cell, column) in zip(cells, columns) {
            let text = fitted(cell, width: column.width - 8, size: size)
            let left = column.alignRight ? x + column.width - 4 - font.width(of: text, size: size) : x + 4
            page.text(text, x: left, y: y - rowHeight + size * 0.6, size: size)
            x += column.width
        }
        y -= rowHeight
        page.line([(margin, y), (margin + columns.reduce(0) { $0 + $1.width }, y)], width: 0.3, color: .lightGray)
    }

    /// "Page n of N" centred at the foot of every page (call once, after the last page).
    public func numberPages(size: Double = 8) {
        for (index, page) in document.pages.enumerated() {
            let text = "Page \(index + 1) of \(document.pages.count)"
            page.text(text, x: (page.width - font.width(of: text, size: size)) / 2, y: margin / 2, size: size, color: .gray)
        }
    }
}
