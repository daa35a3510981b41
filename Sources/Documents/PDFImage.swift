import CZlib

/// A raster image for a PDF page (an image XObject, PDF 32000-1 8.9.5): a JPEG passed through
/// as-is (`DCTDecode`), or a PNG. A PNG without alpha keeps its compressed data and tells the
/// reader its row filters (`FlateDecode` with `/Predictor 15`); a PNG with alpha is inflated
/// through zlib, its row filters undone, and split into the colour image and a soft mask
/// (`/SMask`), each deflated again. Interlaced PNGs, WebP and CMYK JPEGs are refused.
public struct PDFImage: Sendable {
    public let width: Int
    public let height: Int
    /// The image dictionary's entries other than `/Length` and `/SMask`.
    let entries: String
    let data: [UInt8]
    /// The soft mask's entries and data (PNG alpha).
    let mask: (entries: String, data: [UInt8])?

    /// Why bytes cannot be placed as an image.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Largest width or height read: a header logo is a few hundred pixels, and the bound keeps
    /// an inflated PNG to at most 4096 x 4096 x 8 bytes however its compressed data lies.
    public static let maxSide = 4096

    /// The image in `bytes` (PNG or JPEG, told by its signature). Throws `Invalid`.
    public init(_ bytes: [UInt8]) throws {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = try PNGReader(bytes).image()
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            self = try Self.jpeg(bytes)
        } else {
            throw Invalid("not a PNG or JPEG image")
        }
    }

    init(width: Int, height: Int, entries: String, data: [UInt8], mask: (entries: String, data: [UInt8])? = nil) {
        (self.width, self.height, self.entries, self.data, self.mask) = (width, height, entries, data, mask)
    }

    /// A JPEG's size and components from its frame header (ITU T.81 B.2.2); the data itself
    /// is what `DCTDecode` reads.
    static func jpeg(_ bytes: [UInt8]) throws -> PDFImage {
        var index = 2
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { throw Invalid("JPEG marker expected at byte \(index)") }
            let marker = bytes[index + 1]
            if marker == 0xFF { index += 1; continue }  // fill byte
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard length >= 2, index + 2 + length <= bytes.count else { throw Invalid("JPEG segment runs past the end") }
            // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC) hold the frame header.
            if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                guard length >= 8 else { throw Invalid("JPEG frame header too short") }
                let height = Int(bytes[index + 5]) << 8 | Int(bytes[index + 6])
                let width = Int(bytes[index + 7]) << 8 | Int(bytes[index + 8])
                let components = Int(bytes[index + 9])
                guard bytes[index + 4] == 8 else { throw Invalid("JPEG with \(bytes[index + 4])-bit samples") }
                guard (1...maxSide).contains(width), (1...maxSide).contains(height) else { throw Invalid("JPEG of \(width) x \(height)") }
                let space: String
                switch components {
                case 1: space = "/DeviceGray"
                case 3: space = "/DeviceRGB"
                default: throw Invalid("JPEG with \(components) components (CMYK is not supported)")
                }
                return PDFImage(width: width, height: height, entries: "/Type /XObject /Subtype /Image /Width \(width) /Height \(height) /ColorSpace \(space) /BitsPerComponent 8 /Filter /DCTDecode", data: bytes)
            }
            if marker == 0xDA { break }  // start of scan before a frame header
            index += 2 + length
        }
        throw Invalid("JPEG without a frame header")
    }
}

/// Reads a PNG (ISO/IEC 15948) into a `PDFImage`.
struct PNGReader {
    let bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func image() throws -> PDFImage {
        var index = 8
        var header: [UInt8] = [], palette: [UInt8] = [], compressed: [UInt8] = []
        while index + 12 <= bytes.count {
            let length = Int(bytes[index]) << 24 | Int(bytes[index + 1]) << 16 | Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            let type = String(decoding: bytes[index + 4..<index + 8], as: UTF8.self)
            guard length >= 0, index + 12 + length <= bytes.count else { throw PDFImage.Invalid("PNG chunk \(type) runs past the end") }
            let body = bytes[index + 8..<index + 8 + length]
            switch type {
            case "IHDR": header = Array(body)
            case "PLTE": palette = Array(body)
            case "IDAT": compressed += body
            case "IEND": index = bytes.count
            default: break
            }
            index += 12 + length
        }
        guard header.count == 13 else { throw PDFImage.Invalid("PNG without its IHDR header") }
        func be32(_ at: Int) -> Int { Int(header[at]) << 24 | Int(header[at + 1]) << 16 | Int(header[at + 2]) << 8 | Int(header[at + 3]) }
        let (width, height, depth, colorType) = (be32(0), be32(4), Int(header[8]), header[9])
        guard (1...PDFImage.maxSide).contains(width), (1...PDFImage.maxSide).contains(height) else {
            throw PDFImage.Invalid("PNG of \(width) x \(height)")
        }
        guard header[12] == 0 else { throw PDFImage.Invalid("interlaced PNG (save it without interlacing)") }
        guard !compressed.isEmpty else { throw PDFImage.Invalid("PNG without image data") }
        let base = "/Type /XObject /Subtype /Image /Width \(width) /Height \(height)"
        func predictor(_ colors: Int) -> String {
            "/Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors \(colors) /BitsPerComponent \(depth) /Columns \(width) >>"
        }
        switch colorType {
        case 0, 2:  // grey or RGB: the zlib data as stored, the row filters undone by the reader
            let colors = colorType == 0 ? 1 : 3
            guard [1, 2, 4, 8, 16].contains(depth), colorType == 0 || depth >= 8 else { throw PDFImage.Invalid("PNG bit depth \(depth)") }
            return PDFImage(width: width, height: height, entries: "\(base) /ColorSpace /\(colors == 1 ? "DeviceGray" : "DeviceRGB") /BitsPerComponent \(depth) \(predictor(colors))", data: compressed)
        case 3:  // palette: an indexed colour space over the PLTE entries
            guard [1, 2, 4, 8].contains(depth), !palette.isEmpty, palette.count % 3 == 0 else { throw PDFImage.Invalid("PNG palette") }
            let hex = palette.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
            return PDFImage(width: width, height: height, entries: "\(base) /ColorSpace [/Indexed /DeviceRGB \(palette.count / 3 - 1) <\(hex)>] /BitsPerComponent \(depth) \(predictor(1))", data: compressed)
        case 4, 6:  // grey or RGB with alpha: split into the colour image and a soft mask
            guard depth == 8 || depth == 16 else { throw PDFImage.Invalid("PNG bit depth \(depth)") }
            let colors = colorType == 4 ? 1 : 3
            let sample = depth / 8, pixel = (colors + 1) * sample
            let pixels = try Self.unfilter(try Zlib.inflate(compressed, expected: height * (1 + width * pixel)),
                                           width: width, height: height, bytesPerPixel: pixel)
            var color: [UInt8] = [], alpha: [UInt8] = []
            color.reserveCapacity(width * height * colors * sample)
            alpha.reserveCapacity(width * height * sample)
            var at = 0
            while at < pixels.count {
                color += pixels[at..<at + colors * sample]
                alpha += pixels[at + colors * sample..<at + pixel]
                at += pixel
            }
            let space = colors == 1 ? "/DeviceGray" : "/DeviceRGB"
            return PDFImage(width: width, height: height,
                            entries: "\(base) /ColorSpace \(space) /BitsPerComponent \(depth) /Filter /FlateDecode", data: Zlib.deflate(color),
                            mask: ("\(base) /ColorSpace /DeviceGray /BitsPerComponent \(depth) /Filter /FlateDecode", Zlib.deflate(alpha)))
        default:
            throw PDFImage.Invalid("PNG colour type \(colorType)")
        }
    }

    /// Undoes the PNG row filters (ISO/IEC 15948 9.2: None, Sub, Up, Average, Paeth).
    static func unfilter(_ data: [UInt8], width: Int, height: Int, bytesPerPixel bpp: Int) throws -> [UInt8] {
        let stride = width * bpp
        var out = [UInt8](repeating: 0, count: stride * height)
        for row in 0..<height {
            let filter = data[row * (stride + 1)]
            let source = row * (stride + 1) + 1, target = row * stride
            for i in 0..<stride {
                let x = data[source + i]
                let a = i >= bpp ? Int(out[target + i - bpp]) : 0
                let b = row > 0 ? Int(out[target - stride + i]) : 0
                let c = row > 0 && i >= bpp ? Int(out[target - stride + i - bpp]) : 0
                let predicted: Int
                switch filter {
                case 0: predicted = 0
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c
                default: throw PDFImage.Invalid("PNG row filter \(filter)")
                }
                out[target + i] = x &+ UInt8(truncatingIfNeeded: predicted)
            }
        }
        return out
    }
}

/// zlib's one-shot calls (RFC 1950 streams, as PNG and PDF's FlateDecode use).
enum Zlib {
    /// Inflates `data`, which must hold exactly `expected` bytes. Throws `PDFImage.Invalid`.
    static func inflate(_ data: [UInt8], expected: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: expected)
        var length = uLongf(expected)
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                uncompress(target.baseAddress, &length, source.baseAddress, uLong(source.count))
            }
        }
        guard status == Z_OK, Int(length) == expected else { throw PDFImage.Invalid("PNG image data does not inflate to its size") }
        return out
    }

    /// Deflates `data` at the default level.
    static func deflate(_ data: [UInt8]) -> [UInt8] {
        var length = compressBound(uLong(data.count))
        var out = [UInt8](repeating: 0, count: Int(length))
        let status = out.withUnsafeMutableBufferPointer { target in
            data.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), Z_DEFAULT_COMPRESSION)
            }
        }
        precondition(status == Z_OK, "compress2 with a compressBound buffer failed: \(status)")
        out.removeLast(out.count - Int(length))
        return out
    }
}
