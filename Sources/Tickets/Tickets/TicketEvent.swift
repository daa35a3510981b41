/// What a command caused. The Web layer feeds live rooms, notifications, SLA timers and
/// workflows from these; the audit log is already written in the command's transaction.
public enum TicketEvent: Sendable {
    case ticketCreated(Ticket)
    /// Any field change, with the list of changes (status and assignee included).
    case ticketUpdated(Ticket, [FieldChange])
    case statusChanged(Ticket, from: TicketStatus, to: TicketStatus)
    case assigned(Ticket, from: AgentID?, to: AgentID?)
    case messageAdded(Ticket, Message)
    case ticketDeleted(TicketID, reference: String)
    /// `secondary` (now Closed, `mergedIntoID` set) was merged into `primary`; `moved` are the
    /// replies and notes that moved to the primary's thread.
    case merged(primary: Ticket, secondary: Ticket, moved: [MessageID])
    /// The watchers of the ticket changed; `watchers` is the whole new list.
    case watchersChanged(Ticket, watchers: [AgentID])
    /// The links shown on the ticket changed; `links` is the whole new list.
    case linksChanged(Ticket, links: [TicketLink])
    /// The requester access link was issued, regenerated (the old token stops working) or
    /// given another expiry. Never carries the token.
    case accessLinkChanged(Ticket, AccessLinkChange)
    /// The contacts copied on the ticket changed; `ccs` is the whole new list.
    case ccsChanged(Ticket, ccs: [ContactID])
    /// An email of the ticket failed for good (a 5xx refusal, or retries used up).
    case emailFailed(Ticket, EmailFailure)
}
