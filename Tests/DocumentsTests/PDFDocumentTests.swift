import Foundation
import Testing
@testable import Documents

/// Documents written by our PDF writer, checked by other people's readers: `qpdf --check`
/// must pass with no warning (exit 0) and `pdftotext` must give back the text, in Latin,
/// Greek and Cyrillic, from the embedded DejaVu Sans subset (Debian's fonts-dejavu-core).
@Suite("PDFDocument")
struct PDFDocumentTests {
    static let fontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    static func font() throws -> TrueTypeFont {
        try TrueTypeFont(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: fontPath))))
    }

    /// Runs `tool` with `arguments`; returns its exit status and standard output.
    static func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/\(tool)")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pdf-\(UUID().uuidString).pdf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the character map and widths come from the font: A, Ω and Ж have glyphs, a private-use character does not")
    func fontTables() throws {
        let font = try Self.font()
        #expect(font.unitsPerEm == 2048)
        for scalar in ["A", "Ω", "Ж", "€"] as [Unicode.Scalar] { #expect(font.glyph(for: scalar) != 0) }
        #expect(font.glyph(for: "\u{E000}") == 0)
        #expect(font.width(of: font.glyph(for: " ")) > 0)
        #expect(font.width(of: "WW", size: 10) > font.width(of: "ii", size: 10))
        #expect(throws: TrueTypeFont.Invalid.self) { try TrueTypeFont(bytes: Array("not a font at all".utf8)) }
    }

    @Test("the subset keeps glyph ids and only the used outlines: far smaller than the font")
    func subset() throws {
        let font = try Self.font()
        let glyphs: Set<UInt16> = Set("Hello".unicodeScalars.map(font.glyph(for:)))
        let file = try font.subset(glyphs)
        let reader = ByteReader(file)
        let tags = try (0..<Int(try reader.u16(4))).map { String(decoding: file[(12 + 16 * $0)..<(16 + 16 * $0)], as: UTF8.self) }
        #expect(tags == ["cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "prep"])  // no cmap: the PDF maps codes to ids
        #expect(file.count < font.bytes.count / 4)
        #expect(TrueTypeFont.checksum(file) == 0xB1B0_AFBA)  // head.checkSumAdjustment makes the file sum right
    }

    @Test("a paged table with a repeated header and a chart passes qpdf --check and reads back with pdftotext")
    func pagedDocument() throws {
        let document = PDFDocument(font: try Self.font(), title: "Отчёт Ωmega")
        let layout = PDFLayout(document: document)
        layout.header = { page, layout in
            page.text("Help Desk — Ελληνικά и русский", x: layout.margin, y: page.height - layout.margin - 10, size: 10)
            return 24
        }
        layout.heading("Agents")
        let rows = (1...120).map { ["Агент \($0) Σ", String($0 * 3)] }
        layout.table([.init("Agent", width: 300), .init("Tickets", width: 100, alignRight: true)], rows)
        PDFChart(.bars, labels: ["A", "B"], series: [.init("Created", [3, 5]), .init("Resolved", [1, nil])]).draw(in: layout)
        layout.numberPages()
        #expect(document.pages.count >= 3)
        let path = try Self.write(try document.data())
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, report) = try Self.run("qpdf", ["--check", path])
        #expect(status == 0, "\(report)")
        let (_, text) = try Self.run("pdftotext", ["-layout", path, "-"])
        #expect(text.contains("Агент 1 Σ"))
        #expect(text.contains("Агент 120 Σ") && text.contains("360"))
        #expect(text.contains("Help Desk — Ελληνικά и русский"))
        #expect(text.contains("Page 1 of \(document.pages.count)"))
        let pages = text.components(separatedBy: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.allSatisfy { $0.contains("Agent") && $0.contains("Tickets") } == false || pages.count == document.pages.count)
        #expect(pages.dropFirst().filter { $0.contains("Agent ") && $0.contains("Tickets") }.count >= 1)  // header row repeated
        let (info, infoText) = try Self.run("pdfinfo", [path])
        #expect(info == 0 && infoText.contains("Отчёт Ωmega"))
    }

    @Test("numbers print with at most two decimals and no exponent; glyph ids as four hex digits")
    func numbersAndHex() throws {
        #expect([12.5, 12, 0.05, -0.5, 553.284, 1e-9, 1_000_000].map(PDFDocument.number) == ["12.50", "12", "0.05", "-0.50", "553.28", "0", "1000000"])
        let document = PDFDocument(font: try Self.font(), title: "Hex")
        let glyphs = document.glyphs(for: "AΩ")
        #expect(document.hex("AΩ") == glyphs.map { String(format: "%04X", $0) }.joined())
    }
}
