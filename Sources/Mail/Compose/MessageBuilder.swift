import Foundation

/// Turns an `OutgoingMail` into the bytes of an RFC 5322 message with MIME structure:
/// text/plain alone; multipart/alternative with an HTML part; multipart/related when the HTML
/// shows attached images by Content-ID; multipart/mixed around it all for attachments. Text
/// is UTF-8 in quoted-printable (so lines stay under 78 characters and a line of "." can never
/// end an SMTP transfer), files are base64 in 76-character lines.
public struct MessageBuilder: Sendable {
    /// Makes the random part of boundaries; injected so tests get stable bytes.
    private let boundaryToken: @Sendable () -> String

    public init(boundaryToken: @escaping @Sendable () -> String = { MessageBuilder.randomHex(12) }) {
        self.boundaryToken = boundaryToken
    }

    /// A new globally unique Message-ID (without brackets): 128 random bits at `domain`.
    public static func newMessageID(domain: String) -> String {
        "\(randomHex(16))@\(domain)"
    }

    /// `count` random bytes from the system's secure generator, in hexadecimal.
    public static func randomHex(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The message bytes, lines ending in CRLF. Throws `MailBuildError` for an address we cannot
    /// send to, a bad Message-ID or a header name that is not a field name.
    public func build(_ mail: OutgoingMail) throws -> [UInt8] {
        guard !mail.to.isEmpty || !mail.cc.isEmpty else { throw MailBuildError("the message has no recipient") }
        var headers = HeaderWriter()
        headers.field("Date", MailDate.format(mail.date))
        try headers.addresses("From", [mail.from])
        if !mail.to.isEmpty { try headers.addresses("To", mail.to) }
        if !mail.cc.isEmpty { try headers.addresses("Cc", mail.cc) }
        if !mail.replyTo.isEmpty { try headers.addresses("Reply-To", mail.replyTo) }
        headers.field("Message-ID", "<\(try Self.checkedID(mail.messageID))>")
        if let parent = mail.inReplyTo { headers.field("In-Reply-To", "<\(try Self.checkedID(parent))>") }
        if !mail.references.isEmpty {
            headers.field("References", try mail.references.map { "<\(try Self.checkedID($0))>" }.joined(separator: " "))
        }
        headers.text("Subject", mail.subject)
        if let auto = mail.autoSubmitted { headers.field("Auto-Submitted", auto.rawValue) }
        for extra in mail.extraHeaders {
            guard !extra.name.isEmpty, extra.name.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                throw MailBuildError("\"\(extra.name)\" is not a header field name")
            }
            headers.text(extra.name, extra.value)
        }
        headers.field("MIME-Version", "1.0")
        var body = try bodyEntity(mail)
        body.insert(contentsOf: headers.bytes, at: 0)
        return body
    }

    /// Message-IDs are `left@right` without blanks or brackets (RFC 5322 3.6.4).
    private static func checkedID(_ id: String) throws -> String {
        guard !id.isEmpty, id.contains("@"), id.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else { throw MailBuildError("\"\(id)\" is not a Message-ID") }
        return id
    }

    /// The body entity with its Content-* headers (the end of the header section included).
    private func bodyEntity(_ mail: OutgoingMail) throws -> [UInt8] {
        var boundaries = 0
        let related = mail.html != nil ? mail.attachments.filter { $0.contentID != nil } : []
        let files = mail.attachments.filter { attachment in !related.contains { $0 == attachment } }
        var content = textEntity(mail.text, subtype: "plain")
        if let html = mail.html {
            var htmlEntity = textEntity(html, subtype: "html")
            if !related.isEmpty {
                htmlEntity = multipart("related", [htmlEntity] + related.map { attachmentEntity($0, inline: true) },
                                       parameters: "; type=\"text/html\"", boundaries: &boundaries)
            }
            content = multipart("alternative", [content, htmlEntity], boundaries: &boundaries)
        }
        if !files.isEmpty {
            content = multipart("mixed", [content] + files.map { attachmentEntity($0, inline: false) }, boundaries: &boundaries)
        }
        return content
    }

    private func textEntity(_ text: String, subtype: String) -> [UInt8] {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n")
        let bytes = Array(normalized.utf8)
        let plain = bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D } && !normalized.split(separator: "\n", omittingEmptySubsequences: false)
            .contains { $0.utf8.count > 76 || $0.hasPrefix(".") || $0.hasPrefix("From ") || $0.hasSuffix(" ") }
        var headers = HeaderWriter()
        headers.field("Content-Type", "text/\(subtype); charset=utf-8")
        headers.field("Content-Transfer-Encoding", plain ? "7bit" : "quoted-printable")
        headers.blankLine()
        let body = plain ? Array(normalized.replacingOccurrences(of: "\n", with: "\r\n").utf8) : QuotedPrintable.encode(bytes)
        return headers.bytes + body
    }

    private func attachmentEntity(_ attachment: OutgoingAttachment, inline: Bool) -> [UInt8] {
        var headers = HeaderWriter()
        let type = attachment.contentType.contains("/") && !attachment.contentType.contains(where: { $0.isWhitespace || $0 == ";" })
            ? attachment.contentType.lowercased() : "application/octet-stream"
        let name = Self.parameter("name", attachment.filename)
        headers.field("Content-Type", tokens: ["\(type);", name])
        headers.field("Content-Disposition", tokens: ["\(inline ? "inline" : "attachment");", Self.parameter("filename", attachment.filename)])
        if let cid = attachment.contentID { headers.field("Content-ID", "<\(cid.filter { $0 != "<" && $0 != ">" && !$0.isWhitespace })>") }
        headers.field("Content-Transfer-Encoding", "base64")
        headers.blankLine()
        return headers.bytes + Base64.encode(attachment.data)
    }

    /// A parameter as `name="value"` for ASCII, or RFC 2231 `name*=utf-8''%XX` otherwise.
    /// Either form is one token, so folding never splits it.
    static func parameter(_ name: String, _ value: String) -> String {
        let flat = value.replacingLineBreaks()
        if EncodedWords.isPlainASCII(flat) {
            return "\(name)=\"\(flat.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        }
        let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
        let encoded = flat.utf8.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
        return "\(name)*=utf-8''\(encoded)"
    }

    private func multipart(_ subtype: String, _ parts: [[UInt8]], parameters: String = "", boundaries: inout Int) -> [UInt8] {
        // "=_" cannot occur in base64 or quoted-printable text, so the boundary never
        // collides with content (RFC 2046 5.1.1 asks that it does not).
        boundaries += 1  // distinct per multipart of the message even when the token repeats
        let boundary = "=_hd_\(boundaryToken())_\(boundaries)"
        var headers = HeaderWriter()
        headers.field("Content-Type", "multipart/\(subtype); boundary=\"\(boundary)\"\(parameters)")
        headers.blankLine()
        var out = headers.bytes
        for part in parts {
            out += Array("\r\n--\(boundary)\r\n".utf8)
            out += part
        }
        out += Array("\r\n--\(boundary)--\r\n".utf8)
        return out
    }
}
