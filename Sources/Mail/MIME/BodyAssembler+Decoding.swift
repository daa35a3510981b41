import Foundation

extension BodyAssembler {
    /// The part's body with its transfer encoding removed, or nil when it is larger than
    /// `limit` (checked on the encoded size first, so an oversized part is never decoded).
    func decodedBytes(_ part: MIMEPart, limit: Int? = nil) -> [UInt8]? {
        let limit = limit ?? limits.maxMessageBytes
        let body = UnsafeBufferPointer(rebasing: bytes[part.bodyRange])
        guard estimatedSize(part) <= limit else { return nil }
        let decoded: [UInt8]
        switch part.transferEncoding {
        case .base64: decoded = Base64.decode(body).bytes
        case .quotedPrintable: decoded = QuotedPrintable.decode(body).bytes
        case .sevenBit, .eightBit, .binary, nil: decoded = Array(body)
        }
        return decoded.count <= limit ? decoded : nil
    }

    /// The decoded size, estimated from the encoded one (base64 is 4 characters per 3 bytes).
    func estimatedSize(_ part: MIMEPart) -> Int {
        part.transferEncoding == .base64 ? part.bodyRange.count / 4 * 3 : part.bodyRange.count
    }

    /// A text part as a String in its declared charset, line breaks normalised to "\n".
    mutating func decodedText(_ part: MIMEPart) -> String {
        var raw = decodedBytes(part, limit: limits.maxBodyTextBytes * 4) ?? []
        let charset = part.contentType.parameters["charset"]
        let wide = Charset.normalizedName(charset).hasPrefix("UTF-16") || Charset.normalizedName(charset).hasPrefix("UTF-32")
        if !wide { raw = Self.droppingCRBeforeLF(raw) }  // bytewise: CR LF is ASCII in every other mail charset
        let (text, known) = Charset.decode(raw[...], charset: charset)
        if !known { defects.append("unknown charset \(charset ?? "") read as UTF-8/Latin-1") }
        return wide ? text.split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n") : text
    }

    private static func droppingCRBeforeLF(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() where !(b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) { out.append(b) }
        return out
    }

    /// A text/plain part; format=flowed (RFC 3676) lines are joined back into paragraphs.
    mutating func plainText(_ part: MIMEPart) -> String {
        let text = decodedText(part)
        guard part.contentType.parameters["format"]?.lowercased() == "flowed" else { return text }
        return FlowedText.unwrap(text, deleteSpace: part.contentType.parameters["delsp"]?.lowercased() == "yes")
    }

    /// Keeps `part` as an attachment; over `maxAttachmentBytes` it is kept without its bytes.
    mutating func addAttachment(_ part: MIMEPart, inline: Bool = false) {
        guard !part.isMultipart else {
            for child in part.children { addAttachment(child, inline: inline) }
            return
        }
        // Detached signatures are verification data for mail clients, not files for agents.
        if ["application/pgp-signature", "application/pkcs7-signature", "application/x-pkcs7-signature"]
            .contains(part.mimeType) { return }
        let data = decodedBytes(part, limit: limits.maxAttachmentBytes)
        if data == nil { defects.append("an attachment larger than \(limits.maxAttachmentBytes) bytes was left out") }
        let isInline = inline || part.disposition?.value == "inline" || (part.disposition == nil && part.contentID != nil)
        attachments.append(MailAttachment(
            filename: FileName.safe(part.filename ?? defaultName(part), index: attachments.count + 1,
                                    contentType: part.mimeType),
            contentType: part.mimeType, contentID: part.contentID, isInline: isInline,
            size: data?.count ?? estimatedSize(part), data: data))
    }

    /// A name for a part that has none: an attached message is named after its subject.
    private func defaultName(_ part: MIMEPart) -> String {
        if part.mimeType == "message/rfc822", let subject = part.children.first?.headers["Subject"] {
            return EncodedWords.decode(subject).replacingLineBreaks() + ".eml"
        }
        return ""
    }
}

/// RFC 3676 format=flowed: a line ending in a space continues on the next line.
enum FlowedText {
    static func unwrap(_ text: String, deleteSpace: Bool) -> String {
        var lines: [String] = []
        var paragraph = ""
        var open = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var content = Substring(line)
            // Space-stuffing (RFC 3676 4.4) is undone; the signature separator is never flowed.
            if content.hasPrefix(" ") { content = content.dropFirst() }
            if content.hasSuffix(" ") && content != "-- " {
                paragraph += deleteSpace ? String(content.dropLast()) : String(content)
                open = true
            } else {
                lines.append(paragraph + content)
                paragraph = ""
                open = false
            }
        }
        if open { lines.append(paragraph) }
        return lines.joined(separator: "\n")
    }
}

/// Attachment names safe to store and to offer for download.
enum FileName {
    private static let extensions: [String: String] = [
        "text/plain": "txt", "text/html": "html", "text/calendar": "ics", "image/png": "png",
        "image/jpeg": "jpg", "image/gif": "gif", "application/pdf": "pdf", "message/rfc822": "eml",
        "text/csv": "csv", "application/zip": "zip",
    ]

    /// `name` without directory parts, control characters or leading dots, at most 200 bytes
    /// (keeping the extension); "attachment-N.ext" when nothing is left.
    static func safe(_ name: String, index: Int, contentType: String) -> String {
        var base = name.replacingOccurrences(of: "\\", with: "/").split(separator: "/").last.map(String.init) ?? ""
        base = String(base.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F && !"<>:\"|?*".unicodeScalars.contains($0) })
            .trimmingBlanks()
        while base.hasPrefix(".") { base.removeFirst() }
        if base.isEmpty { return "attachment-\(index).\(extensions[contentType] ?? "bin")" }
        if base.utf8.count > 200 {
            // Keep a short extension (".pdf"); a "long extension" is just more of the name.
            let dot = base.lastIndex(of: ".")
            let ext = dot.map { String(base[$0...]) }.flatMap { $0.utf8.count <= 16 ? $0 : nil } ?? ""
            var stem = String(base.dropLast(ext.count))
            while !stem.isEmpty, stem.utf8.count + ext.utf8.count > 200 { stem.removeLast() }
            base = stem + ext
        }
        return base
    }
}
