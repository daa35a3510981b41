extension TrueTypeFont {
    /// Composite glyph flags (TrueType `glyf` table, composite glyph description).
    enum CompositeFlag {
        static let argumentsAreWords: UInt16 = 0x0001
        static let haveScale: UInt16 = 0x0008
        static let moreComponents: UInt16 = 0x0020
        static let haveXYScale: UInt16 = 0x0040
        static let haveTwoByTwo: UInt16 = 0x0080
    }

    /// A font file holding only `glyphs` (plus .notdef and the parts of composite glyphs).
    /// Glyph ids stay the same (unused glyphs become empty), so a PDF can map its codes
    /// to glyphs with `CIDToGIDMap /Identity`; `hmtx` is kept whole. Tables written: head
    /// (long loca), hhea, maxp, hmtx, loca, glyf, and cvt, fpgm, prep when present (hinting
    /// programs some rasterisers run).
    public func subset(_ glyphs: Set<UInt16>) throws -> [UInt8] {
        let reader = ByteReader(bytes)
        let glyf = tables["glyf"]!.lowerBound
        var keep = glyphs.union([0])
        var pending = Array(keep)
        while let glyph = pending.popLast() {
            for part in try components(of: glyph, reader, glyf) where !keep.contains(part) {
                keep.insert(part)
                pending.append(part)
            }
        }
        var newGlyf: [UInt8] = [], newLoca: [UInt8] = []
        for glyph in 0..<(glyphOffsets.count - 1) {
            append32(&newLoca, UInt32(newGlyf.count))
            if keep.contains(UInt16(glyph)) {
                newGlyf += bytes[(glyf + glyphOffsets[glyph])..<(glyf + glyphOffsets[glyph + 1])]
                while newGlyf.count % 4 != 0 { newGlyf.append(0) }
            }
        }
        append32(&newLoca, UInt32(newGlyf.count))
        var head = Array(bytes[tables["head"]!])
        head[8..<12] = [0, 0, 0, 0]   // checkSumAdjustment, set below
        head[50..<52] = [0, 1]        // indexToLocFormat: long offsets
        var out: [String: [UInt8]] = ["head": head, "loca": newLoca, "glyf": newGlyf]
        for tag in ["hhea", "maxp", "hmtx", "cvt ", "fpgm", "prep"] { if let range = tables[tag] { out[tag] = Array(bytes[range]) } }
        return Self.assemble(out)
    }

    private func components(of glyph: UInt16, _ r: ByteReader, _ glyf: Int) throws -> [UInt16] {
        let start = glyf + glyphOffsets[Int(glyph)]
        guard glyphOffsets[Int(glyph) + 1] > glyphOffsets[Int(glyph)], try r.i16(start) < 0 else { return [] }
        var parts: [UInt16] = [], at = start + 10, flags: UInt16
        repeat {
            flags = try r.u16(at)
            parts.append(try r.u16(at + 2))
            at += 4 + (flags & CompositeFlag.argumentsAreWords != 0 ? 4 : 2)
            if flags & CompositeFlag.haveScale != 0 { at += 2 }
            else if flags & CompositeFlag.haveXYScale != 0 { at += 4 }
            else if flags & CompositeFlag.haveTwoByTwo != 0 { at += 8 }
        } while flags & CompositeFlag.moreComponents != 0
        return parts
    }

    /// The sfnt file: table directory (tags sorted), 4-byte aligned tables, checksums and
    /// head's checkSumAdjustment (0xB1B0AFBA minus the whole file's sum).
    static func assemble(_ tables: [String: [UInt8]]) -> [UInt8] {
        let tags = tables.keys.sorted()
        var powerOfTwo = 1, log = 0
        while powerOfTwo * 2 <= tags.count { powerOfTwo *= 2; log += 1 }
        var out: [UInt8] = []
        append32(&out, 0x0001_0000)
        for value in [tags.count, powerOfTwo * 16, log, tags.count * 16 - powerOfTwo * 16] { append16(&out, UInt16(value)) }
        var offset = 12 + 16 * tags.count
        var body: [UInt8] = []
        var headOffset = 0
        for tag in tags {
            var table = tables[tag]!
            let length = table.count
            while table.count % 4 != 0 { table.append(0) }
            out += Array(tag.utf8)
            append32(&out, checksum(table))
            append32(&out, UInt32(offset))
            append32(&out, UInt32(length))
            if tag == "head" { headOffset = offset }
            body += table
            offset += table.count
        }
        out += body
        let adjustment = 0xB1B0_AFBA &- checksum(out)
        out[headOffset + 8] = UInt8(adjustment >> 24)
        out[headOffset + 9] = UInt8(adjustment >> 16 & 0xFF)
        out[headOffset + 10] = UInt8(adjustment >> 8 & 0xFF)
        out[headOffset + 11] = UInt8(adjustment & 0xFF)
        return out
    }

    static func checksum(_ data: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index < data.count {
            var word: UInt32 = 0
            for k in 0..<4 { word = word << 8 | UInt32(index + k < data.count ? data[index + k] : 0) }
            sum = sum &+ word
            index += 4
        }
        return sum
    }
}

func append16(_ out: inout [UInt8], _ value: UInt16) { out += [UInt8(value >> 8), UInt8(value & 0xFF)] }
func append32(_ out: inout [UInt8], _ value: UInt32) {
    out += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
}
