import Foundation

/// A received email, parsed: the fields a help desk needs, the readable text, the
/// attachments, and everything the parser had to repair (`defects`).
public struct MailMessage: Sendable {
    public let headers: HeaderFields
    /// The Subject with encoded words decoded and line breaks flattened ("" when absent).
    public let subject: String
    public let from: [MailAddress]
    public let sender: MailAddress?
    public let replyTo: [MailAddress]
    public let to: [MailAddress]
    public let cc: [MailAddress]
    public let date: Date?
    /// The Message-ID without angle brackets.
    public let messageID: String?
    public let inReplyTo: [String]
    public let references: [String]
    /// The readable body: the text/plain alternative, or the HTML one turned into plain text.
    public let text: String
    /// The HTML alternative exactly as sent (decoded to text), for download only: never render it.
    public let html: String?
    /// True when `text` was cut at `MailLimits.maxBodyTextBytes`.
    public let textTruncated: Bool
    public let attachments: [MailAttachment]
    /// For delivery status notifications (bounces, RFC 3464): what failed and for which message.
    public let deliveryReport: DeliveryReport?
    /// The entity tree.
    public let structure: MIMEPart
    /// Repairs made while parsing, in words, for the logs and the raw-message view.
    public let defects: [String]

    /// The first From address (the author).
    public var author: MailAddress? { from.first ?? sender }

    /// Parses a raw message (RFC 5322 + MIME). Throws `MailParseError` when a limit in
    /// `limits` is passed or the input has no header fields; anything else is repaired and
    /// listed in `defects`.
    public static func parse(_ raw: [UInt8], limits: MailLimits = MailLimits()) throws -> MailMessage {
        guard !raw.isEmpty else { throw MailParseError(.empty) }
        guard raw.count <= limits.maxMessageBytes else {
            throw MailParseError(.messageTooLarge, limit: limits.maxMessageBytes)
        }
        return try raw.withUnsafeBufferPointer { bytes in
            var parser = MIMEParser(limits: limits)
            let root = try parser.parseEntity(bytes, 0..<bytes.count, depth: 0)
            guard !root.headers.fields.isEmpty else { throw MailParseError(.noHeaderFields) }
            var assembler = BodyAssembler(bytes: bytes, limits: limits)
            assembler.collect(root)
            return MailMessage(root: root, assembler: assembler, parserDefects: parser.defects)
        }
    }

    private init(root: MIMEPart, assembler: BodyAssembler, parserDefects: [String]) {
        let h = root.headers
        headers = h
        subject = EncodedWords.decode(h["Subject"] ?? "").replacingLineBreaks()
        from = MailAddress.parseList(h["From"] ?? "")
        sender = MailAddress.parseList(h["Sender"] ?? "", limit: 1).first
        replyTo = MailAddress.parseList(h["Reply-To"] ?? "")
        to = MailAddress.parseList(h["To"] ?? "")
        cc = MailAddress.parseList(h["Cc"] ?? "")
        date = MailDate.parse(h["Date"])
        messageID = MessageIDs.parse(h["Message-ID"], limit: 1).first
        inReplyTo = MessageIDs.parse(h["In-Reply-To"])
        references = MessageIDs.parse(h["References"])
        text = assembler.text
        html = assembler.html
        textTruncated = assembler.textTruncated
        attachments = assembler.attachments
        deliveryReport = assembler.deliveryReport
        structure = root
        defects = parserDefects + assembler.defects
    }
}

/// A file carried by a message: an attachment, an inline image, a calendar invitation or an
/// attached message.
public struct MailAttachment: Sendable, Equatable {
    /// A safe file name: no directories, no control characters, never empty.
    public let filename: String
    /// "type/subtype", lower-cased.
    public let contentType: String
    /// The Content-ID without angle brackets (inline images referenced as `cid:` from HTML).
    public let contentID: String?
    /// Shown in the body by the sender's client (Content-Disposition inline) rather than attached.
    public let isInline: Bool
    /// Decoded size in bytes (an estimate from the encoded size when the bytes were left out).
    public let size: Int
    /// The decoded bytes, or nil when the file was larger than `MailLimits.maxAttachmentBytes`
    /// and left out (the ticket shows a note instead).
    public let data: [UInt8]?

    public var isOmitted: Bool { data == nil }
}
