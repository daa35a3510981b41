import Foundation

/// One entity of a parsed message (RFC 2045 section 2.4): its headers, content type, and for
/// multiparts and attached messages its children. The body stays in the message's raw bytes
/// (`bodyRange`) until something asks for it.
public struct MIMEPart: Sendable {
    public let headers: HeaderFields
    /// The Content-Type, or the RFC 2045 5.2 default (text/plain; in a multipart/digest,
    /// message/rfc822) when it is missing or unreadable.
    public let contentType: MIMEHeaderValue
    /// The Content-Disposition (RFC 2183), when present.
    public let disposition: MIMEHeaderValue?
    /// The Content-Transfer-Encoding; nil when the token is unknown (the bytes are kept as they are).
    public let transferEncoding: TransferEncoding?
    /// Multipart children in order; for message/rfc822, the one embedded message.
    public internal(set) var children: [MIMEPart]
    /// Where the (still encoded) body lies in the raw message.
    public let bodyRange: Range<Int>

    /// "type/subtype", lower-cased.
    public var mimeType: String { contentType.value }
    public var isMultipart: Bool { contentType.type == "multipart" }
    /// The Content-ID without angle brackets.
    public var contentID: String? { MessageIDs.parse(headers["Content-ID"], limit: 1).first }
    /// The file name from Content-Disposition `filename` or Content-Type `name` (decoded).
    public var filename: String? {
        let name = disposition?.parameters["filename"] ?? contentType.parameters["name"]
        return name.flatMap { $0.isEmpty ? nil : $0 }
    }
    public var isAttachmentDisposition: Bool { disposition?.value == "attachment" }

    /// Every part in the tree, depth first, this one included.
    public var allParts: [MIMEPart] { [self] + children.flatMap(\.allParts) }
}
