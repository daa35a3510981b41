import Foundation
import Realtime
import Tickets

/// Safe response headers for user-uploaded files: always a download, never sniffed, never
/// run as a document; inline only for raster images whose bytes really are one.
enum AttachmentHeaders {
    /// The raster image types a browser may show inline (no scripts possible in them).
    static let rasterImageTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]

    /// Whether `contentType` (parameters ignored) is a previewable raster image type.
    static func isRasterImage(_ contentType: String) -> Bool {
        rasterImageTypes.contains(baseType(contentType))
    }

    /// The type to send for a download: the stored type, except anything a browser could run
    /// as a document or script (HTML, SVG, XML, JavaScript), which becomes octet-stream.
    static func downloadType(_ contentType: String) -> String {
        let base = baseType(contentType)
        let active = ["html", "svg", "xml", "javascript", "ecmascript", "x-mixed-replace"]
        return active.contains(where: base.contains) ? MediaTypes.octetStream : base
    }

    /// True when the file's first bytes match the magic number of raster type `contentType`.
    static func contentMatches(_ contentType: String, file: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return false }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 12)) ?? Data())
        switch baseType(contentType) {
        case "image/png": return head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        case "image/jpeg": return head.starts(with: [0xFF, 0xD8, 0xFF])
        case "image/gif": return head.starts(with: Array("GIF87a".utf8)) || head.starts(with: Array("GIF89a".utf8))
        case "image/webp": return head.count == 12 && head.starts(with: Array("RIFF".utf8)) && Array(head[8..<12]) == Array("WEBP".utf8)
        default: return false
        }
    }

    /// A streamed file response with the attachment's safety headers.
    static func response(_ attachment: Attachment, file: URL, inline: Bool) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add("Content-Type", inline ? baseType(attachment.contentType) : downloadType(attachment.contentType))
        headers.add("Content-Disposition", HeaderParameters.contentDisposition(inline ? "inline" : "attachment",
                                                                              fileName: attachment.fileName))
        headers.add("X-Content-Type-Options", "nosniff")
        headers.add("Content-Security-Policy", "sandbox; default-src 'none'")
        headers.add("Cache-Control", "private, max-age=3600")
        headers.add("ETag", "\"\(attachment.sha256)\"")
        return HTTPResponse(status: .ok, headers: headers, body: .file(path: file.path, offset: 0, length: Int(attachment.size)))
    }

    private static func baseType(_ contentType: String) -> String {
        (contentType.split(separator: ";").first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}

/// Media type names the ticket routes use.
enum MediaTypes {
    static let octetStream = "application/octet-stream"
    static let csv = "text/csv; charset=utf-8"
}
