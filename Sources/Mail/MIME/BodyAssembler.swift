import Foundation

/// Walks a parsed entity tree and gathers the readable text, the HTML alternative, the
/// attachments and any delivery report (RFC 2046 section 5.1 semantics per multipart subtype).
struct BodyAssembler {
    let bytes: UnsafeBufferPointer<UInt8>
    let limits: MailLimits
    private var textParts: [String] = []
    private(set) var html: String?
    var attachments: [MailAttachment] = []
    private(set) var deliveryReport: DeliveryReport?
    var defects: [String] = []
    private(set) var text = ""
    private(set) var textTruncated = false

    init(bytes: UnsafeBufferPointer<UInt8>, limits: MailLimits) {
        self.bytes = bytes
        self.limits = limits
    }

    /// Collects everything from `root`; afterwards `text`, `html`, `attachments` are final.
    mutating func collect(_ root: MIMEPart) {
        visit(root)
        var joined = textParts.joined(separator: "\n\n")
        if joined.utf8.count > limits.maxBodyTextBytes {
            var cut = joined.utf8.index(joined.utf8.startIndex, offsetBy: limits.maxBodyTextBytes)
            while !joined.unicodeScalars.indices.contains(cut) { cut = joined.utf8.index(before: cut) }
            joined = String(joined[..<cut]) + "\n\n[The rest of this message was cut: it is longer than \(limits.maxBodyTextBytes) bytes.]"
            textTruncated = true
        }
        text = joined
    }

    private mutating func visit(_ part: MIMEPart) {
        if part.isAttachmentDisposition || (part.filename != nil && !part.isMultipart && part.contentType.type != "text") {
            addAttachment(part)
            return
        }
        switch (part.contentType.type, part.contentType.subtype) {
        case ("multipart", "alternative"): visitAlternative(part)
        case ("multipart", "related"): visitRelated(part)
        case ("multipart", "signed"):
            // RFC 1847: the first part is the content, the second the signature.
            if let content = part.children.first { visit(content) }
        case ("multipart", "report"): visitReport(part)
        case ("multipart", _):
            // mixed, digest, parallel and unknown subtypes are read as mixed (RFC 2046 5.1.7).
            for child in part.children { visit(child) }
        case ("text", "plain") where part.filename == nil:
            textParts.append(plainText(part))
        case ("text", "html") where part.filename == nil:
            let source = decodedText(part)
            if html == nil { html = source }
            textParts.append(HTMLText.readableText(source))
        default:
            addAttachment(part)
        }
    }

    /// RFC 2046 5.1.4: alternatives of the same content. We prefer plain text (never rendering
    /// HTML), then the richest other. The HTML alternative is kept for download; attachments
    /// inside alternatives we do not show are kept too, so no file is lost.
    private mutating func visitAlternative(_ part: MIMEPart) {
        func rank(_ p: MIMEPart) -> Int {
            if p.mimeType == "text/plain" && p.filename == nil { return 3 }
            if p.mimeType == "text/html" && p.filename == nil { return 2 }
            if p.isMultipart { return p.allParts.contains { $0.mimeType == "text/plain" } ? 3 : 1 }
            return 0
        }
        // Among equal ranks the last wins: RFC 2046 orders alternatives by increasing faithfulness.
        guard let chosen = part.children.indices.max(by: { rank(part.children[$0]) <= rank(part.children[$1]) }),
              rank(part.children[chosen]) > 0 else {
            for child in part.children { visit(child) }
            return
        }
        visit(part.children[chosen])
        for (index, child) in part.children.enumerated() where index != chosen {
            for leaf in child.allParts where !leaf.isMultipart {
                if leaf.mimeType == "text/html" && leaf.filename == nil {
                    if html == nil { html = decodedText(leaf) }
                } else if leaf.contentType.type != "text" || leaf.mimeType == "text/calendar" || leaf.filename != nil {
                    addAttachment(leaf)
                }
            }
        }
    }

    /// RFC 2387: the root (the `start` part or the first) is the body; the others are
    /// resources it refers to, kept as inline attachments.
    private mutating func visitRelated(_ part: MIMEPart) {
        let start = part.contentType.parameters["start"].flatMap { MessageIDs.parse($0, limit: 1).first }
        let rootIndex = part.children.firstIndex { start != nil && $0.contentID == start } ?? 0
        for (index, child) in part.children.enumerated() {
            if index == rootIndex { visit(child) } else { addAttachment(child, inline: true) }
        }
    }

    /// RFC 6522 / RFC 3464: the human-readable part becomes the text, the delivery-status
    /// part the `deliveryReport`; the returned message only gives the original Message-ID.
    private mutating func visitReport(_ part: MIMEPart) {
        var report = DeliveryReport()
        for child in part.children {
            switch child.mimeType {
            case "message/delivery-status", "message/global-delivery-status":
                report.readStatus(decodedBytes(child) ?? [])
            case "message/rfc822", "message/global", "text/rfc822-headers", "message/rfc822-headers":
                let headers = child.children.first?.headers
                    ?? (try? HeaderSectionParser(limits: limits).parse(bytes, from: child.bodyRange.lowerBound,
                                                                      to: child.bodyRange.upperBound).fields)
                report.originalMessageID = MessageIDs.parse(headers?["Message-ID"], limit: 1).first
                report.originalSubject = headers?["Subject"].map { EncodedWords.decode($0).replacingLineBreaks() }
            default:
                visit(child)
            }
        }
        if part.contentType.parameters["report-type"]?.lowercased() == "delivery-status" || !report.recipients.isEmpty {
            deliveryReport = report
        }
    }
}
