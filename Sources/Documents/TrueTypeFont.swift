/// A TrueType font read from its bytes (glyf outlines): the character map, advance widths
/// and metrics a PDF needs, and a subset holding only the glyphs a document uses.
/// Tables read: head, hhea, maxp, hmtx, cmap (format 4, and 12 when present), loca, glyf.
public struct TrueTypeFont: Sendable {
    /// Why a font file cannot be used.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    let bytes: [UInt8]
    let tables: [String: Range<Int>]
    public let unitsPerEm: Int
    public let ascent: Int
    public let descent: Int
    public let boundingBox: (Int, Int, Int, Int)
    let advances: [Int]
    let glyphOffsets: [Int]
    let characterMap: [UInt32: UInt16]

    /// Parses `bytes`. Throws `Invalid` for a file that is not a TrueType font with glyf outlines.
    public init(bytes: [UInt8]) throws {
        self.bytes = bytes
        var reader = ByteReader(bytes)
        guard bytes.count > 12, [0x0001_0000, 0x7472_7565].contains(try reader.u32(0)) else {
            throw Invalid(description: "not a TrueType font (CFF/OpenType outlines are not supported)")
        }
        var tables: [String: Range<Int>] = [:]
        for index in 0..<Int(try reader.u16(4)) {
            let record = 12 + 16 * index
            let tag = String(decoding: bytes[record..<record + 4], as: UTF8.self)
            let offset = Int(try reader.u32(record + 8)), length = Int(try reader.u32(record + 12))
            guard offset + length <= bytes.count else { throw Invalid(description: "table \(tag) runs past the file") }
            tables[tag] = offset..<offset + length
        }
        for tag in ["head", "hhea", "maxp", "hmtx", "cmap", "loca", "glyf"] where tables[tag] == nil {
            throw Invalid(description: "missing table \(tag)")
        }
        self.tables = tables
        let head = tables["head"]!.lowerBound, hhea = tables["hhea"]!.lowerBound
        unitsPerEm = Int(try reader.u16(head + 18))
        boundingBox = (Int(try reader.i16(head + 36)), Int(try reader.i16(head + 38)), Int(try reader.i16(head + 40)), Int(try reader.i16(head + 42)))
        let longLoca = try reader.i16(head + 50) == 1
        ascent = Int(try reader.i16(hhea + 4))
        descent = Int(try reader.i16(hhea + 6))
        let metrics = Int(try reader.u16(hhea + 34))
        let glyphs = Int(try reader.u16(tables["maxp"]!.lowerBound + 4))
        let hmtx = tables["hmtx"]!.lowerBound
        var advances: [Int] = []
        for glyph in 0..<glyphs { advances.append(Int(try reader.u16(hmtx + 4 * min(glyph, metrics - 1)))) }
        self.advances = advances
        let loca = tables["loca"]!.lowerBound
        glyphOffsets = try (0...glyphs).map { longLoca ? Int(try reader.u32(loca + 4 * $0)) : 2 * Int(try reader.u16(loca + 2 * $0)) }
        characterMap = try Self.readCharacterMap(&reader, table: tables["cmap"]!.lowerBound)
    }

    /// The glyph of `scalar`, 0 (.notdef) when the font has none.
    public func glyph(for scalar: Unicode.Scalar) -> UInt16 { characterMap[scalar.value] ?? 0 }

    /// Advance width of `glyph` in thousandths of the font size (PDF glyph space).
    public func width(of glyph: UInt16) -> Int {
        Int(glyph) < advances.count ? advances[Int(glyph)] * 1000 / unitsPerEm : 0
    }

    /// The width of `text` at `size` points.
    public func width(of text: String, size: Double) -> Double {
        Double(text.unicodeScalars.reduce(0) { $0 + width(of: glyph(for: $1)) }) * size / 1000
    }

    /// Prefers the Windows Unicode full-repertoire subtable (format 12), else the BMP one (format 4).
    private static func readCharacterMap(_ r: inout ByteReader, table: Int) throws -> [UInt32: UInt16] {
        var format4: Int?, format12: Int?
        for index in 0..<Int(try r.u16(table + 2)) {
            let record = table + 4 + 8 * index
            let offset = table + Int(try r.u32(record + 4))
            switch try r.u16(offset) {
            case 4: format4 = format4 ?? offset
            case 12: format12 = format12 ?? offset
            default: break
            }
        }
        var map: [UInt32: UInt16] = [:]
        if let at = format12 {
            for group in 0..<Int(try r.u32(at + 12)) {
                let g = at + 16 + 12 * group
                let (start, end, first) = (try r.u32(g), try r.u32(g + 4), try r.u32(g + 8))
                guard end >= start, end - start < 0x11_0000 else { continue }
                for code in start...end { map[code] = UInt16(truncatingIfNeeded: first + code - start) }
            }
            return map
        }
        guard let at = format4 else { throw Invalid(description: "no Unicode character map (format 4 or 12)") }
        let segments = Int(try r.u16(at + 6)) / 2
        let ends = at + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, ranges = deltas + 2 * segments
        for s in 0..<segments {
            let (end, start) = (try r.u16(ends + 2 * s), try r.u16(starts + 2 * s))
            let delta = try r.u16(deltas + 2 * s), rangeOffset = Int(try r.u16(ranges + 2 * s))
            guard start <= end, start != 0xFFFF else { continue }
            for code in start...end {
                var glyph: UInt16
                if rangeOffset == 0 {
                    glyph = code &+ delta
                } else {
                    glyph = try r.u16(ranges + 2 * s + rangeOffset + 2 * Int(code - start))
                    if glyph != 0 { glyph = glyph &+ delta }
                }
                if glyph != 0 { map[UInt32(code)] = glyph }
            }
        }
        return map
    }
}

/// Big-endian reads with bounds checks (a truncated font is an error, never a crash).
struct ByteReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func u16(_ at: Int) throws -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw TrueTypeFont.Invalid(description: "truncated at byte \(at)") }
        return UInt16(bytes[at]) << 8 | UInt16(bytes[at + 1])
    }
    func i16(_ at: Int) throws -> Int16 { Int16(bitPattern: try u16(at)) }
    func u32(_ at: Int) throws -> UInt32 { UInt32(try u16(at)) << 16 | UInt32(try u16(at + 2)) }
}
