import Foundation
import Testing
@testable import Documents

/// Images and streamed writing, checked by other people's readers: `qpdf --check` (which
/// also inflates every Flate stream and checks the PNG predictors), `pdfimages -list` (the
/// image and its soft mask as a reader sees them) and `pdftotext`.
@Suite("PDF images and streaming")
struct PDFImageTests {
    /// A 24 x 16 RGBA PNG with a half-transparent gradient and rounded corners, written by
    /// Chromium's encoder (a Playwright element screenshot with no background).
    static let alphaPNG = Array(Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAABgAAAAQCAYAAAAMJL+VAAACB0lEQVR4nLRUPYsUQRCtqu7Z7V5WT07F4FjZwERYEBNRFLwfYGxq" +
        "bqhm909E8B8IBpoeKIcYismBH4hGZ+CBx43uTneXVd2zs5sY3LE7A1NT1c179erRbWHp2Zk8Gv0mM67Nua2a+5tT4/0UrWuo72fc" +
        "c4mMn0LlWGJg4yJaH4FyPSU8krgfAHa/7t19McdE/Twfb7ufw9HkEM6OjumMq3Hg/9qh+wN9Iei5BiofTM/NwAhgJbkAkhDkXCNK" +
        "bh0D+SSEEeA9mf7jL29u/CAloIG/ig1fMGAKLRlIMbU9SJRdKSUNmgGR9MVdf4AkK5wLUmZAxO0Ym2cZ6vWV6xdnM95Q7Cgv6E+S" +
        "aBROBpDRFZQKuJIkzticWVALEjDDY1lQkluXb797QDGE89ZmLCgKYlYAWYEo6RTAkgIoIFBAoVOAhRRLioT3qbI4CKE0nsH1Kwoo" +
        "K4DScyoYCwXz6bRjkQIiLmzlIoiZr4kCqKxKyNjFA3MKD7j1ADoFOi64RDqdoBJW70FeJZ3O2jzQvUUBLCmArOCkHkDrAS57oPuF" +
        "qZl7sKpzsPAADwiR63V5ICwfqElwsMZz8JTuff94GBh+rfocSOHVt7c3X2aUNKw+Q+K0snMAeBwiP1nsaJ+dyUO5rjfGNfituhpu" +
        "TsH6Br2b/uc2DRrBOiHV2/RIWthnMLuf9u501/U/AAAA//+i49HgAAAABklEQVQDAK/OVIOSPZO9AAAAAElFTkSuQmCC")!)
    /// The same element as a baseline JPEG (Chromium, quality 80).
    static let jpeg = Array(Data(base64Encoded:
        "/9j/4AAQSkZJRgABAQAAAQABAAD/4gHYSUNDX1BST0ZJTEUAAQEAAAHIAAAAAAQwAABtbnRyUkdCIFhZWiAH4AABAAEAAAAAAABh" +
        "Y3NwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAQAA9tYAAQAAAADTLQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAlkZXNjAAAA8AAAACRyWFlaAAABFAAAABRnWFlaAAABKAAAABRiWFlaAAABPAAAABR3dHB0AAAB" +
        "UAAAABRyVFJDAAABZAAAAChnVFJDAAABZAAAAChiVFJDAAABZAAAAChjcHJ0AAABjAAAADxtbHVjAAAAAAAAAAEAAAAMZW5VUwAA" +
        "AAgAAAAcAHMAUgBHAEJYWVogAAAAAAAAb6IAADj1AAADkFhZWiAAAAAAAABimQAAt4UAABjaWFlaIAAAAAAAACSgAAAPhAAAts9Y" +
        "WVogAAAAAAAA9tYAAQAAAADTLXBhcmEAAAAAAAQAAAACZmYAAPKnAAANWQAAE9AAAApbAAAAAAAAAABtbHVjAAAAAAAAAAEAAAAM" +
        "ZW5VUwAAACAAAAAcAEcAbwBvAGcAbABlACAASQBuAGMALgAgADIAMAAxADb/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQ" +
        "FxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgo" +
        "KCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAQABgDASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwAG" +
        "/8QAIxAAAQMEAQQDAAAAAAAAAAAAAgEDBAAFBhEhEiJCkTFBcf/EABUBAQEAAAAAAAAAAAAAAAAAAAUC/8QAIxEAAQICCwAAAAAA" +
        "AAAAAAAAAAQRASECBRITFBUxMkFR8P/aAAwDAQACEQMRAD8AYcplOyXDJwyUd9o74RKM775Ul5TFdjOOCYEg74LXCpRpffKmKu4K" +
        "UM0jNWnKbhi16YmwZDgtA4ivM9S9Dob5FU/PVVVpxe4ZTfI0KFHdJpxxEdfQFUGg+yJfhOPa6Sqm1OXvDE7vdBtG+nY0P//Z")!)
    /// A 20 x 10 RGB PNG without alpha (Chromium page screenshot).
    static let opaquePNG = Array(Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAABQAAAAKCAIAAAA7N+mxAAAAw0lEQVR4nIyPWw7CIBBFB9KfJi5C978Tt2Dij6nRVIvYSHnYjgxg" +
        "bao18HF5zL3DnAIRISx5EpejvNZKSqsdKI2kxitTeiA1OL6XZbFZrwof642td1VzvncWrAFgjDoyIAnntwLQi1dspKu2gtOf+4MS" +
        "rQ/RAKEWZ2GURwYMIeYBPgXauW2EbR8hNxaTBZNSHkjnHu7ELfkmveNs0R1n/unhfadnPMnxlzl6+PB0Xzw5zHThSzxZzEs8WcwT" +
        "nkSVx0zyAgAA//8xnWUFAAAABklEQVQDAKd4xcOI3MM7AAAAAElFTkSuQmCC")!)

    static func document(_ images: [[UInt8]]) throws -> [UInt8] {
        let document = PDFDocument(font: try PDFDocumentTests.font(), title: "Logo")
        let ids = try images.map { document.add(try PDFImage($0)) }
        let page = document.addPage()
        for (index, id) in ids.enumerated() {
            page.image(id, x: 40 + Double(index) * 60, y: 700, width: 48, height: 32)
        }
        page.text("Acme Support", x: 40, y: 680, size: 12)
        return try document.data()
    }

    @Test("a PNG with alpha becomes an RGB image with a grey soft mask; qpdf checks both streams")
    func alpha() throws {
        let image = try PDFImage(Self.alphaPNG)
        #expect(image.width == 24 && image.height == 16 && image.mask != nil)
        let path = try PDFDocumentTests.write(try Self.document([Self.alphaPNG]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, report) = try PDFDocumentTests.run("qpdf", ["--check", path])
        #expect(status == 0, "\(report)")
        let (_, list) = try PDFDocumentTests.run("pdfimages", ["-list", path])
        let rows = list.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.map { Array($0[2...6]) } == [["image", "24", "16", "rgb", "3"], ["smask", "24", "16", "gray", "1"]])
    }

    @Test("the soft mask holds the PNG's alpha: opaque at the right edge, faint at the left, clear in the corners")
    func alphaValues() throws {
        let image = try PDFImage(Self.alphaPNG)
        let alpha = try Zlib.inflate(image.mask!.data, expected: 24 * 16)
        #expect(alpha[8 * 24 + 23] > 240)
        #expect((30...80).contains(alpha[8 * 24 + 0]))
        #expect(alpha[0] < 40)
    }

    @Test("a JPEG passes through unchanged with DCTDecode, an RGB PNG keeps its data with the PNG predictor")
    func passthrough() throws {
        let jpeg = try PDFImage(Self.jpeg)
        #expect(jpeg.data == Self.jpeg && jpeg.entries.contains("/DCTDecode") && jpeg.width == 24 && jpeg.height == 16)
        let png = try PDFImage(Self.opaquePNG)
        #expect(png.mask == nil && png.entries.contains("/Predictor 15 /Colors 3 /BitsPerComponent 8 /Columns 20"))
        let path = try PDFDocumentTests.write(try Self.document([Self.jpeg, Self.opaquePNG]))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, report) = try PDFDocumentTests.run("qpdf", ["--check", path])
        #expect(status == 0, "\(report)")
        let (_, list) = try PDFDocumentTests.run("pdfimages", ["-list", path])
        let rows = list.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        #expect(rows.map { Array($0[2...8]) } == [["image", "24", "16", "rgb", "3", "8", "jpeg"], ["image", "20", "10", "rgb", "3", "8", "image"]])
    }

    @Test("bytes that are no PNG or JPEG, an interlaced PNG and a truncated one are refused with a reason")
    func refused() throws {
        #expect(throws: PDFImage.Invalid.self) { try PDFImage(Array("GIF89a".utf8)) }
        var interlaced = Self.alphaPNG
        interlaced[28] = 1  // IHDR's interlace method
        #expect(throws: PDFImage.Invalid("interlaced PNG (save it without interlacing)")) { try PDFImage(interlaced) }
        #expect(throws: PDFImage.Invalid.self) { try PDFImage(Array(Self.alphaPNG.prefix(60))) }
        #expect(throws: PDFImage.Invalid.self) { try PDFImage(Array(Self.jpeg.prefix(20))) }
    }

    @Test("a streamed document leaves page by page, holds one page at a time, and numbers pages with the final count")
    func streamed() throws {
        let document = PDFDocument(font: try PDFDocumentTests.font(), title: "Streamed")
        let logo = document.add(try PDFImage(Self.alphaPNG))
        let layout = PDFLayout(document: document)
        layout.numbersEachPage = true
        layout.header = { page, layout in
            page.image(logo, x: layout.margin, y: page.height - layout.margin - 16, width: 24, height: 16)
            return 24
        }
        var bytes: [UInt8] = [], writes = 0, mostHeld = 0
        layout.heading("Tickets")
        for number in 1...600 {
            layout.table([.init("Ticket", width: 200), .init("Subject", width: 300)], [["#\(number)", "Принтер Ωmega \(number)"]])
            try document.writeCompletedPages { bytes += $0; writes += 1 }
            mostHeld = max(mostHeld, document.pages.count)
        }
        try document.write { bytes += $0 }
        #expect(mostHeld == 1 && writes > 10 && document.pageCount > 10)
        let path = try PDFDocumentTests.write(bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (status, report) = try PDFDocumentTests.run("qpdf", ["--check", path])
        #expect(status == 0, "\(report)")
        let (_, text) = try PDFDocumentTests.run("pdftotext", ["-layout", path, "-"])
        #expect(text.contains("Page 1 of \(document.pageCount)") && text.contains("Page \(document.pageCount) of \(document.pageCount)"))
        #expect(text.contains("Принтер Ωmega 600"))
    }
}
