import Foundation

/// One header of an email as received (decoded), for workflow conditions.
public struct EmailHeader: Sendable, Equatable, Codable {
    public let name: String
    public let value: String
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// An email that did not join a ticket, as kept for the workflows (`inbound_emails`): what
/// conditions look at, and what "create a ticket" takes from it.
public struct StoredEmail: Sendable, Equatable {
    public var id: Int64
    public var mailboxID: Int64?
    public var fromAddress: String
    public var fromName: String?
    public var subject: String
    public var text: String
    public var recipients: [String]
    /// The Cc addresses other than our own mailboxes': the CC contacts of a ticket made of it.
    public var cc: [InboundEmail.Person]
    public var headers: [EmailHeader]
    public var notes: [String]
    public var files: [StagedAttachment]
    /// Why no automatic answer may go to this email's sender (RFC 3834), when one must not.
    public var autoReplySuppression: String?
    public var ticketID: TicketID?
    public var receivedAt: Date

    public init(id: Int64 = 0, mailboxID: Int64? = nil, fromAddress: String, fromName: String? = nil, subject: String,
                text: String, recipients: [String] = [], cc: [InboundEmail.Person] = [], headers: [EmailHeader] = [], notes: [String] = [],
                files: [StagedAttachment] = [], autoReplySuppression: String? = nil, ticketID: TicketID? = nil,
                receivedAt: Date = Date(timeIntervalSince1970: 0)) {
        self.id = id
        self.mailboxID = mailboxID
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.subject = subject
        self.text = text
        self.recipients = recipients
        self.cc = cc
        self.headers = headers
        self.notes = notes
        self.files = files
        self.autoReplySuppression = autoReplySuppression
        self.ticketID = ticketID
        self.receivedAt = receivedAt
    }
}
