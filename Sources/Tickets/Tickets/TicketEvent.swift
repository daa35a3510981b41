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
}

/// A command's result and the events it caused, in order.
public struct CommandResult<Value: Sendable>: Sendable {
    public let value: Value
    public let events: [TicketEvent]
}
