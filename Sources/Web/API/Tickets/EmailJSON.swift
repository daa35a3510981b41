import Foundation
import Mail
import Tickets

/// How a message travelled by email, for the agent's view: `{direction: in|out, address,
/// delivery, error, replyText, originalUrl}`. For an incoming email, `address` is the sender's
/// (for email taken before migration 20 stored senders: the requester's on a requester reply,
/// else null) and `replyText` is what the sender wrote above their quoted history or signature
/// (`QuotedHistory.split`), null when there is nothing to fold; `body` keeps the full text;
/// `originalUrl` downloads the raw message when it was kept. For an outgoing reply, `address`
/// is the recipient, `delivery` the outbox state (`queued`, `sent`, `failed`) and `error` the
/// server's last refusal.
struct EmailJSON: Encodable, Sendable {
    let direction: String
    @Nullable var address: String?
    @Nullable var delivery: String?
    @Nullable var error: String?
    @Nullable var replyText: String?
    @Nullable var originalUrl: String?

    init(_ mark: EmailMark, message: Message, _ people: PeopleDirectory) {
        let author = if case .requester(let id) = message.author { people.contacts[id]?.email } else { String?.none }
        self.init(mark, text: message.body, authorAddress: author)
    }

    /// `text` is the message body (or the ticket's description, for the starting email);
    /// `authorAddress` stands in for the sender of email taken before senders were stored.
    init(_ mark: EmailMark, text: String, authorAddress: String?) {
        direction = mark.direction.rawValue
        switch mark.direction {
        case .inbound:
            address = mark.sender ?? authorAddress
            delivery = nil
            error = nil
            let split = QuotedHistory.split(text)
            replyText = split.quoted.isEmpty ? nil : split.reply
            originalUrl = mark.originalID.map { "/api/emails/\($0)/original" }
        case .outbound:
            address = mark.recipient
            delivery = mark.delivery?.rawValue
            error = mark.delivery == .failed ? mark.lastError : nil
            replyText = nil
            originalUrl = nil
        }
    }
}
