import Foundation

/// An RGB colour with components from 0 to 1.
public struct PDFColor: Sendable, Equatable {
    public let red: Double, green: Double, blue: Double
    public init(_ red: Double, _ green: Double, _ blue: Double) { (self.red, self.green, self.blue) = (red, green, blue) }
    public static let black = PDFColor(0, 0, 0)
    public static let gray = PDFColor(0.42, 0.47, 0.53)
    public static let lightGray = PDFColor(0.89, 0.91, 0.93)
    public static let blue = PDFColor(0.14, 0.34, 0.77)
    public static let green = PDFColor(0.12, 0.62, 0.33)

    var operands: String { "\(PDFDocument.number(red)) \(PDFDocument.number(green)) \(PDFDocument.number(blue))" }
}

/// One page's drawing operations, in points from the bottom-left corner (PDF user space).
public final class PDFPage {
    public let width: Double
    public let height: Double
    var content = ""
    unowned let document: PDFDocument

    init(document: PDFDocument, width: Double, height: Double) {
        self.document = document
        self.width = width
        self.height = height
    }

    /// Draws `text` with its baseline starting at (`x`, `y`). Characters the font lacks
    /// print as its .notdef glyph.
    public func text(_ text: String, x: Double, y: Double, size: Double, color: PDFColor = .black) {
        content += "BT \(color.operands) rg /F1 \(PDFDocument.number(size)) Tf \(PDFDocument.number(x)) \(PDFDocument.number(y)) Td <\(document.hex(text))> Tj ET\n"
    }

    /// Fills a rectangle.
    public func rectangle(x: Double, y: Double, width: Double, height: Double, fill: PDFColor) {
        content += "\(fill.operands) rg \(PDFDocument.number(x)) \(PDFDocument.number(y)) \(PDFDocument.number(width)) \(PDFDocument.number(height)) re f\n"
    }

    /// Strokes a line through `points` (at least two).
    public func line(_ points: [(Double, Double)], width: Double = 1, color: PDFColor = .black) {
        guard let first = points.first, points.count > 1 else { return }
        var path = "\(PDFDocument.number(first.0)) \(PDFDocument.number(first.1)) m"
        for point in points.dropFirst() { path += " \(PDFDocument.number(point.0)) \(PDFDocument.number(point.1)) l" }
        content += "\(color.operands) RG \(PDFDocument.number(width)) w \(path) S\n"
    }

    /// Draws image `id` (from `PDFDocument.add`) into the box at (`x`, `y`) of `width` x `height`.
    public func image(_ id: PDFDocument.ImageID, x: Double, y: Double, width: Double, height: Double) {
        content += "q \(PDFDocument.number(width)) 0 0 \(PDFDocument.number(height)) \(PDFDocument.number(x)) \(PDFDocument.number(y)) cm /Im\(id.index) Do Q\n"
    }

    /// Draws the document's final page count (known only when it is finished) with its
    /// baseline at (`x`, `y`): a form XObject written at the end (8.10), so a streamed
    /// document can say "Page 3 of 40" on page 3.
    public func pageCount(x: Double, y: Double, size: Double, color: PDFColor = .black) {
        document.pageCountStyle = (size, color)
        content += "q 1 0 0 1 \(PDFDocument.number(x)) \(PDFDocument.number(y)) cm /Pc Do Q\n"
    }
}

/// A PDF 1.7 file written by hand: one embedded TrueType font as a Type 0 (CID) font with
/// Identity-H encoding, so any character the font has prints (Latin, Greek, Cyrillic with
/// DejaVu Sans), subset to the glyphs used, with a ToUnicode map so text can be extracted
/// and searched; raster images (`PDFImage`) as image XObjects. Content streams are stored
/// uncompressed. Pages are A4 unless given.
///
/// A document is written front to back by `write(to:)`: every page but the last one started
/// leaves as soon as it is complete (`writeCompletedPages(to:)`, which a streamed response
/// calls between pages, dropping their content from memory), the font, page tree and the
/// page-count form at the end, and the cross-reference table from the byte offsets counted as
/// the bytes went out. `data()` writes it all into memory.
public final class PDFDocument {
    public static let a4 = (width: 595.28, height: 841.89)

    public struct ImageID: Sendable, Equatable { let index: Int }

    public let font: TrueTypeFont
    public let title: String
    /// The pages not yet handed to `writeCompletedPages` (all of them for a document written
    /// with `data()`).
    public private(set) var pages: [PDFPage] = []
    /// Pages started so far, written or not.
    public private(set) var pageCount = 0
    private var used: [UInt16: Unicode.Scalar] = [:]
    private var images: [(image: PDFImage, number: Int)] = []
    private var imagesWritten = 0
    private var kids: [Int] = []
    private var output = PDFOutput()
    private let pagesNumber: Int, fontNumber: Int
    private var pageCountNumber: Int?
    var pageCountStyle: (size: Double, color: PDFColor)? {
        didSet { if pageCountNumber == nil { pageCountNumber = output.reserve() } }
    }

    public init(font: TrueTypeFont, title: String) {
        self.font = font
        self.title = title
        pagesNumber = output.reserve()
        fontNumber = output.reserve()
    }

    /// Appends a page and returns it.
    public func addPage(width: Double = a4.width, height: Double = a4.height) -> PDFPage {
        let page = PDFPage(document: self, width: width, height: height)
        pages.append(page)
        pageCount += 1
        return page
    }

    /// Adds `image` to the document (once, however many pages draw it).
    public func add(_ image: PDFImage) -> ImageID {
        images.append((image, output.reserve()))
        return ImageID(index: images.count - 1)
    }

    func glyphs(for text: String) -> [UInt16] {
        text.unicodeScalars.map { scalar in
            let glyph = font.glyph(for: scalar)
            if used[glyph] == nil, glyph != 0 { used[glyph] = scalar }
            return glyph
        }
    }

    /// `text`'s glyph ids as hex, four digits each (a table lookup per digit: `String(format:)`
    /// per glyph was a measurable share of writing a long list).
    func hex(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count * 4)
        for glyph in glyphs(for: text) {
            for shift in [12, 8, 4, 0] { bytes.append(Self.hexDigits[Int(glyph >> UInt16(shift)) & 15]) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Writes every page but the last one started to `sink` and forgets their content (the
    /// header and images first, once). The last page may still be drawn on.
    public func writeCompletedPages(to sink: ([UInt8]) throws -> Void) throws {
        try writeStart(sink)
        while pages.count > 1 { try writePage(pages.removeFirst(), sink) }
    }

    /// Writes the rest of the document to `sink`: remaining pages, the page-count form, the
    /// font subset, the page tree, the catalog and the cross-reference table. Throws
    /// `TrueTypeFont.Invalid` when the font cannot be subset.
    public func write(to sink: ([UInt8]) throws -> Void) throws {
        try writeStart(sink)
        for page in pages { try writePage(page, sink) }
        if let number = pageCountNumber, let style = pageCountStyle {
            let text = "BT \(style.color.operands) rg /F1 \(Self.number(style.size)) Tf <\(hex(String(pageCount)))> Tj ET"
            let width = font.width(of: String(pageCount), size: style.size)
            try output.stream(number, "/Type /XObject /Subtype /Form /BBox [0 -\(Self.number(style.size)) \(Self.number(width + 1)) \(Self.number(style.size))] /Resources << /Font << /F1 \(fontNumber) 0 R >> >>",
                              Array(text.utf8), sink)
        }
        try writeFont(sink)
        try output.object(pagesNumber, "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>", sink)
        let info = output.reserve(), catalog = output.reserve()
        try output.object(info, "<< /Title \(Self.textString(title)) /Producer (helpdesk Documents) >>", sink)
        try output.object(catalog, "<< /Type /Catalog /Pages \(pagesNumber) 0 R >>", sink)
        try output.finish(root: catalog, info: info, sink)
    }

    /// The whole file's bytes. Throws `TrueTypeFont.Invalid` when the font cannot be subset.
    public func data() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try write { bytes += $0 }
        return bytes
    }

    private func writeStart(_ sink: ([UInt8]) throws -> Void) throws {
        try output.header(sink)
        while imagesWritten < images.count {
            let (image, number) = images[imagesWritten]
            var entries = image.entries
            if let mask = image.mask {
                let maskNumber = output.reserve()
                try output.stream(maskNumber, mask.entries, mask.data, sink)
                entries += " /SMask \(maskNumber) 0 R"
            }
            try output.stream(number, entries, image.data, sink)
            imagesWritten += 1
        }
    }

    private func writePage(_ page: PDFPage, _ sink: ([UInt8]) throws -> Void) throws {
        let content = output.reserve(), number = output.reserve()
        try output.stream(content, "", Array(page.content.utf8), sink)
        var objects = images.enumerated().map { "/Im\($0.offset) \($0.element.number) 0 R" }
        if let form = pageCountNumber { objects.append("/Pc \(form) 0 R") }
        let xobjects = objects.isEmpty ? "" : " /XObject << \(objects.joined(separator: " ")) >>"
        try output.object(number, "<< /Type /Page /Parent \(pagesNumber) 0 R /MediaBox [0 0 \(Self.number(page.width)) \(Self.number(page.height))] /Resources << /Font << /F1 \(fontNumber) 0 R >>\(xobjects) >> /Contents \(content) 0 R >>", sink)
        kids.append(number)
    }

    private func writeFont(_ sink: ([UInt8]) throws -> Void) throws {
        let fontFile = try font.subset(Set(used.keys))
        let scale = { (v: Int) in v * 1000 / self.font.unitsPerEm }
        let name = "/\(Self.subsetTag(used.keys.sorted()))+DejaVuSans"
        let (x0, y0, x1, y1) = font.boundingBox
        let file = output.reserve(), descriptor = output.reserve(), cid = output.reserve(), toUnicode = output.reserve()
        try output.stream(file, "/Length1 \(fontFile.count)", fontFile, sink)
        try output.object(descriptor, "<< /Type /FontDescriptor /FontName \(name) /Flags 32 /FontBBox [\(scale(x0)) \(scale(y0)) \(scale(x1)) \(scale(y1))] /ItalicAngle 0 /Ascent \(scale(font.ascent)) /Descent \(scale(font.descent)) /CapHeight \(scale(font.ascent)) /StemV 80 /FontFile2 \(file) 0 R >>", sink)
        let widths = used.keys.sorted().map { "\($0) [\(font.width(of: $0))]" }.joined(separator: " ")
        try output.object(cid, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont \(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /CIDToGIDMap /Identity /DW 1000 /W [\(widths)] >>", sink)
        try output.stream(toUnicode, "", Array(toUnicodeMap().utf8), sink)
        try output.object(fontNumber, "<< /Type /Font /Subtype /Type0 /BaseFont \(name) /Encoding /Identity-H /DescendantFonts [\(cid) 0 R] /ToUnicode \(toUnicode) 0 R >>", sink)
    }

    /// The ToUnicode CMap: each used glyph to the character it was drawn for (PDF 32000-1, 9.10.3).
    func toUnicodeMap() -> String {
        var map = """
            /CIDInit /ProcSet findresource begin 12 dict begin begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def /CMapType 2 def
            1 begincodespacerange <0000> <FFFF> endcodespacerange

            """
        let entries = used.keys.sorted().map { glyph in
            "<\(String(format: "%04X", glyph))> <\(String(used[glyph]!).utf16.map { String(format: "%04X", $0) }.joined())>"
        }
        for start in stride(from: 0, to: entries.count, by: 100) {
            let chunk = entries[start..<min(start + 100, entries.count)]
            map += "\(chunk.count) beginbfchar\n\(chunk.joined(separator: "\n"))\nendbfchar\n"
        }
        return map + "endcmap CMapName currentdict /CMap defineresource pop end end"
    }

    /// Six capital letters derived from the glyph set, as subset font names need (9.6.4).
    static func subsetTag(_ glyphs: [UInt16]) -> String {
        var hash: UInt32 = 2_166_136_261
        for glyph in glyphs { hash = (hash ^ UInt32(glyph)) &* 16_777_619 }
        return String((0..<6).map { Character(Unicode.Scalar(UInt8(65 + (hash >> ($0 * 5)) % 26))) })
    }

    /// A text string as UTF-16BE with a byte order mark, in hex (7.9.2.2).
    static func textString(_ text: String) -> String {
        "<FEFF" + text.utf16.map { String(format: "%04X", $0) }.joined() + ">"
    }

    /// A number with at most two decimals and no exponent.
    static func number(_ value: Double) -> String {
        // Integer arithmetic on hundredths: `String(format:)` per number was a measurable
        // share of writing a long list.
        let hundredths = Int((value * 100).rounded())
        let (whole, part) = (abs(hundredths) / 100, abs(hundredths) % 100)
        let sign = hundredths < 0 ? "-" : ""
        if part == 0 { return sign + String(whole) }
        return sign + String(whole) + (part < 10 ? ".0" : ".") + String(part)
    }
}

/// The bytes of a PDF file as they go out: object numbers handed out in advance, each
/// object's byte offset recorded as it is written, and the cross-reference table and trailer
/// (PDF 32000-1, 7.5) from those offsets at the end.
struct PDFOutput {
    private var position = 0
    private var offsets: [Int] = []  // by object number - 1; -1 until written
    private var started = false

    /// A new object number, to be written later.
    mutating func reserve() -> Int {
        offsets.append(-1)
        return offsets.count
    }

    /// The header line and the binary-marker comment, once.
    mutating func header(_ sink: ([UInt8]) throws -> Void) throws {
        guard !started else { return }
        started = true
        try emit(Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A], sink)
    }

    mutating func object(_ number: Int, _ body: String, _ sink: ([UInt8]) throws -> Void) throws {
        try object(number, Array(body.utf8), sink)
    }

    mutating func object(_ number: Int, _ body: [UInt8], _ sink: ([UInt8]) throws -> Void) throws {
        precondition(offsets[number - 1] == -1, "PDF object \(number) written twice")
        offsets[number - 1] = position
        try emit(Array("\(number) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8), sink)
    }

    /// A stream object with `entries` in its dictionary and `/Length` added.
    mutating func stream(_ number: Int, _ entries: String, _ body: [UInt8], _ sink: ([UInt8]) throws -> Void) throws {
        try object(number, Array("<< \(entries) /Length \(body.count) >>\nstream\n".utf8) + body + Array("\nendstream".utf8), sink)
    }

    /// The cross-reference table (each entry exactly 20 bytes) and the trailer.
    mutating func finish(root: Int, info: Int, _ sink: ([UInt8]) throws -> Void) throws {
        precondition(!offsets.contains(-1), "a reserved PDF object was never written")
        var table = "xref\n0 \(offsets.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(offsets.count + 1) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(position)\n%%EOF\n"
        try emit(Array(table.utf8), sink)
    }

    private mutating func emit(_ bytes: [UInt8], _ sink: ([UInt8]) throws -> Void) throws {
        try sink(bytes)
        position += bytes.count
    }
}
