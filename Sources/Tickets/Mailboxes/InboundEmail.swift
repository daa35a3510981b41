import Foundation

/// An email to take into the help desk, already parsed (the `Mail` module does that in the
/// composition root): who sent it, what it says, what it answers, its files staged in the
/// attachment store, and where it was in the mailbox.
public struct InboundEmail: Sendable {
    /// The mailbox it arrived at (nil for mail that came another way).
    public var mailbox: MailboxID?
    /// The Message-ID without brackets; nil when the sender gave none.
    public var messageID: String?
    /// In-Reply-To then References (newest first): the messages this one answers.
    public var answers: [String]
    public var subject: String
    public var fromName: String?
    public var fromAddress: String
    /// The Cc addresses other than our own mailboxes': copied on a ticket this email starts.
    public var cc: [Person] = []
    /// The readable text (quoted history included: the agent's view folds it).
    public var text: String
    public var attachments: [StagedAttachment]
    /// The raw message as received, staged in the attachment store for "download original";
    /// nil when it was larger than the store's per-file limit.
    public var original: StagedAttachment?
    /// Lines shown under the text, e.g. "report.zip (14 MB) was left out: over 10 MB".
    public var notes: [String]
    /// Set when the email is a delivery report (a bounce).
    public var bounce: Bounce?
    /// The IMAP position of this email, stored as the mailbox's cursor in the same transaction.
    public var cursor: Cursor?
    /// Sent from one of our own mailbox addresses: recorded as seen, never filed (answering
    /// or filing our own mail is how loops start, RFC 3834).
    public var fromOwnMailbox = false
    /// To and Cc addresses, for workflow conditions.
    public var recipients: [String] = []
    /// The decoded header fields, for workflow conditions (kept up to `StoredEmailRecord.maxHeaders`).
    public var headers: [EmailHeader] = []
    /// Why no automatic answer may go to the sender (Auto-Submitted, Precedence, a no-reply
    /// sender...: `LoopGuard`), nil when one may. Kept with the email for the auto-responder.
    public var autoReplySuppression: String?

    /// A named address from a header.
    public struct Person: Sendable, Equatable {
        public var name: String
        public var address: String
        public init(name: String, address: String) {
            self.name = name
            self.address = address
        }
    }

    /// A delivery report: which of our messages failed, and the lines saying why.
    public struct Bounce: Sendable {
        public var originalMessageID: String?
        public var failures: [String]
        public init(originalMessageID: String?, failures: [String]) {
            self.originalMessageID = originalMessageID
            self.failures = failures
        }
    }

    public struct Cursor: Sendable, Equatable {
        public var uidValidity: Int64
        public var uid: Int64
        public init(uidValidity: Int64, uid: Int64) {
            self.uidValidity = uidValidity
            self.uid = uid
        }
    }

    public init(fromAddress: String, subject: String, text: String) {
        self.fromAddress = fromAddress
        self.subject = subject
        self.text = text
        answers = []
        attachments = []
        notes = []
    }
}

/// What ingestion did with an email.
public enum InboundOutcome: Sendable, Equatable {
    /// It started a new ticket (email channel, sender as requester): the default rule, while
    /// no enabled workflow with an email trigger covers the mailbox.
    case newTicket(TicketID)
    /// Kept for the workflows (`email.received`, this id in `inbound_emails`): an enabled
    /// workflow with an email trigger covers the mailbox, so the workflows decide what to do.
    case received(Int64)
    /// The requester or a CC answered: a public reply on their ticket (which reopens if Pending or Resolved).
    case reply(TicketID)
    /// Someone other than the requester and the CCs wrote on a ticket's thread: kept as an internal note that names them,
    /// never treated as the requester's reply.
    case strangerNote(TicketID)
    /// A delivery report about one of the ticket's emails: recorded as a note on the ticket.
    case bounceNote(TicketID)
    /// A delivery report about nothing we know: recorded as seen, never a ticket.
    case bounceDropped
    /// The same email (by Message-ID) was taken before (or is one we sent); nothing changed.
    case duplicate
    /// From one of our own mailbox addresses: recorded as seen, not filed.
    case ownMessage
    /// The sender already started `TicketService.maxNewEmailTicketsPerSenderPerHour` tickets
    /// by email in the past hour: recorded as seen, not filed (a mail loop or a flood).
    case senderCapped
}
