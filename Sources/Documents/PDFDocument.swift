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
        let glyphs = document.glyphs(for: text)
        let hex = glyphs.map { String(format: "%04X", $0) }.joined()
        content += "BT \(color.operands) rg /F1 \(PDFDocument.number(size)) Tf \(PDFDocument.number(x)) \(PDFDocument.number(y)) Td <\(hex)> Tj ET\n"
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
}

/// A PDF 1.7 file written by hand: one embedded TrueType font as a Type 0 (CID) font with
/// Identity-H encoding, so any character the font has prints (Latin, Greek, Cyrillic with
/// DejaVu Sans), subset to the glyphs used, with a ToUnicode map so text can be extracted
/// and searched. Streams are stored uncompressed. Pages are A4 unless given.
public final class PDFDocument {
    public static let a4 = (width: 595.28, height: 841.89)

    public let font: TrueTypeFont
    public let title: String
    public private(set) var pages: [PDFPage] = []
    private var used: [UInt16: Unicode.Scalar] = [:]

    public init(font: TrueTypeFont, title: String) {
        self.font = font
        self.title = title
    }

    /// Appends a page and returns it.
    public func addPage(width: Double = a4.width, height: Double = a4.height) -> PDFPage {
        let page = PDFPage(document: self, width: width, height: height)
        pages.append(page)
        return page
    }

    func glyphs(for text: String) -> [UInt16] {
        text.unicodeScalars.map { scalar in
            let glyph = font.glyph(for: scalar)
            if used[glyph] == nil, glyph != 0 { used[glyph] = scalar }
            return glyph
        }
    }

    /// The file's bytes. Throws `TrueTypeFont.Invalid` when the font cannot be subset.
    public func data() throws -> [UInt8] {
        var objects: [[UInt8]] = []
        func add(_ text: String) -> Int { objects.append(Array(text.utf8)); return objects.count }
        func addStream(_ dictionary: String, _ body: [UInt8]) -> Int {
            objects.append(Array("<< \(dictionary) /Length \(body.count) >>\nstream\n".utf8) + body + Array("\nendstream".utf8))
            return objects.count
        }
        let fontFile = try font.subset(Set(used.keys))
        let scale = { (v: Int) in v * 1000 / self.font.unitsPerEm }
        let name = "/\(Self.subsetTag(used.keys.sorted()))+DejaVuSans"
        let (x0, y0, x1, y1) = font.boundingBox
        let fileRef = addStream("/Length1 \(fontFile.count)", fontFile)
        let descriptor = add("<< /Type /FontDescriptor /FontName \(name) /Flags 32 /FontBBox [\(scale(x0)) \(scale(y0)) \(scale(x1)) \(scale(y1))] /ItalicAngle 0 /Ascent \(scale(font.ascent)) /Descent \(scale(font.descent)) /CapHeight \(scale(font.ascent)) /StemV 80 /FontFile2 \(fileRef) 0 R >>")
        let widths = used.keys.sorted().map { "\($0) [\(font.width(of: $0))]" }.joined(separator: " ")
        let cid = add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont \(name) /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor \(descriptor) 0 R /CIDToGIDMap /Identity /DW 1000 /W [\(widths)] >>")
        let toUnicode = addStream("", Array(toUnicodeMap().utf8))
        let fontRef = add("<< /Type /Font /Subtype /Type0 /BaseFont \(name) /Encoding /Identity-H /DescendantFonts [\(cid) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        let pagesRef = objects.count + 1
        _ = add("") // the page tree, filled below once the page ids are known
        var kids: [Int] = []
        for page in pages {
            let stream = addStream("", Array(page.content.utf8))
            kids.append(add("<< /Type /Page /Parent \(pagesRef) 0 R /MediaBox [0 0 \(Self.number(page.width)) \(Self.number(page.height))] /Resources << /Font << /F1 \(fontRef) 0 R >> >> /Contents \(stream) 0 R >>"))
        }
        objects[pagesRef - 1] = Array("<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>".utf8)
        let info = add("<< /Title \(Self.textString(title)) /Producer (helpdesk Documents) >>")
        let catalog = add("<< /Type /Catalog /Pages \(pagesRef) 0 R >>")
        return Self.serialize(objects, root: catalog, info: info)
    }

    /// Writes the header, the numbered objects, the cross-reference table and the trailer
    /// (PDF 32000-1, 7.5). Each xref entry is exactly 20 bytes.
    static func serialize(_ objects: [[UInt8]], root: Int, info: Int) -> [UInt8] {
        var out = Array("%PDF-1.7\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(out.count)
            out += Array("\(index + 1) 0 obj\n".utf8) + body + Array("\nendobj\n".utf8)
        }
        let xref = out.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(root) 0 R /Info \(info) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return out + Array(table.utf8)
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
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.2f", rounded)
    }
}
