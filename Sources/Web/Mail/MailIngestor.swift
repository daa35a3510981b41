import Foundation
import Mail
import Tickets

/// Turns a raw email into an `InboundEmail` (parsed by the `Mail` module, files staged in the
/// attachment store, bounces recognised) and hands it to `TicketService.ingestEmail`. Used by
/// `helpdesk ingest` and by the IMAP watchers of `serve`.
struct MailIngestor: Sendable {
    let services: Services

    /// Why an email could not be taken at all.
    struct Unreadable: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses and ingests `raw`. Throws `Unreadable` for a message the parser refuses
    /// (too large, not an email), or the ingestion's own errors.
    func ingest(_ raw: [UInt8], mailbox: Mailbox?, cursor: InboundEmail.Cursor? = nil) async throws -> CommandResult<InboundOutcome> {
        let message: MailMessage
        do {
            message = try MailMessage.parse(raw)
        } catch let error as MailParseError {
            throw Unreadable(description: error.description)
        }
        guard let author = message.replyTo.first ?? message.author, author.isDeliverable else {
            throw Unreadable(description: "the email has no usable sender address")
        }
        var mail = InboundEmail(fromAddress: author.address, subject: message.subject, text: message.text)
        mail.mailbox = mailbox?.id
        mail.cursor = cursor
        mail.messageID = message.messageID
        mail.answers = message.inReplyTo + message.references.reversed()
        mail.fromName = author.name
        let ours = try await services.mailboxes.list(for: .system).map { $0.address.lowercased() }
        mail.fromOwnMailbox = message.from.contains { ours.contains($0.normalized) } || ours.contains(author.normalized)
        mail.cc = message.cc.filter { $0.isDeliverable && !ours.contains($0.normalized) }
            .map { InboundEmail.Person(name: $0.name ?? "", address: $0.address) }
        mail.recipients = (message.to + message.cc).map(\.normalized)
        mail.headers = message.headers.fields.map { EmailHeader(name: $0.name, value: $0.value) }
        mail.autoReplySuppression = LoopGuard.autoReplySuppression(for: message, ourAddresses: Set(ours)).map(\.description)
        let store = services.tickets.attachments
        mail.original = Self.keepOriginal(raw, in: store)
        for attachment in message.attachments {
            guard let data = attachment.data else {
                mail.notes.append("[\(attachment.filename) (\(attachment.size) bytes) was left out: larger than the attachment limit.]")
                continue
            }
            do {
                mail.attachments.append(try store.stage(bytes: Data(data), fileName: attachment.filename, contentType: attachment.contentType))
            } catch {
                mail.notes.append("[\(attachment.filename) could not be stored: \(error)]")
            }
        }
        if message.textTruncated { mail.notes.append("[The text was cut at \(MailLimits().maxBodyTextBytes) bytes.]") }
        if let report = message.deliveryReport, LoopGuard.isDeliveryReport(message) {
            mail.bounce = InboundEmail.Bounce(
                originalMessageID: report.originalMessageID,
                failures: report.recipients.map { r in
                    "\(r.address): \(r.action) \(r.status)" + (r.diagnostic.map { " (\($0))" } ?? "")
                })
        }
        return try await services.tickets.ingestEmail(mail, tokenKey: services.mailboxes.credentialKey)
    }

    /// Stages the raw message for "download original". Bounded by the attachment store's
    /// per-file limit: a larger original is not kept (its text and files still are). A storage
    /// failure is logged and the email taken without its original: the mail itself matters more.
    static func keepOriginal(_ raw: [UInt8], in store: AttachmentStore) -> StagedAttachment? {
        guard Int64(raw.count) <= AttachmentStore.maxFileBytes else { return nil }
        do {
            return try store.stage(bytes: Data(raw), fileName: "original.eml", contentType: "message/rfc822")
        } catch {
            Log.error("mail: cannot keep the original of an email (\(raw.count) bytes): \(error)")
            return nil
        }
    }
}
