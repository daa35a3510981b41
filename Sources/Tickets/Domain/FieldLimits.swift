/// The documented maximum of every stored text and every list input, in one place for the
/// API description. Each is enforced where its value is validated, before anything is stored.
public enum FieldLimits {
    /// Ticket subject, in characters.
    public static let ticketSubject = TicketRules.maxSubjectLength
    /// Ticket description, in characters.
    public static let ticketDescription = TicketRules.maxDescriptionLength
    /// Tags on one ticket.
    public static let tagsPerTicket = TicketRules.maxTags
    /// One tag, in characters.
    public static let tag = TicketRules.maxTagLength
    /// A requester's (contact's) name, in characters.
    public static let requesterName = ContactStore.maxNameLength
    /// An email address (RFC 5321's forward path), in characters.
    public static let email = EmailAddress.maxLength
    /// A reply or internal note, in characters.
    public static let messageBody = MessageRecord.maxBodyLength
    /// Agent, role, API token and account names, in characters.
    public static let name = AccountService.maxNameLength
    /// A new password, in UTF-8 bytes.
    public static let newPassword = PasswordPolicy.maxLength
    /// A password presented to sign in or to confirm a change, in UTF-8 bytes.
    public static let presentedPassword = AccountService.maxLoginPasswordBytes
    /// Full-text search text, in characters.
    public static let searchText = 500
    /// Values in one list filter (all keys together): far more than any screen builds.
    public static let filterValues = 100
    /// Ids in one notifications/read request: a feed page is at most 100.
    public static let notificationIDs = NotificationService.maxReadIDs
    /// A rendered canned response, in characters.
    public static let renderedCannedResponse = CannedTemplate.maxRenderedLength
}
