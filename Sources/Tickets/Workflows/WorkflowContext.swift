import Foundation

/// What one logged event means for workflows: which trigger kind it fires, the ticket it is
/// about, and the details a trigger narrows on. Nil for events no trigger listens to.
struct WorkflowContext: Sendable {
    let kind: WorkflowTrigger.Kind
    let eventID: Int64?
    var ticketID: TicketID?
    /// The ticket as the event left it (nil: read it from the database, for SLA and survey events).
    var ticket: Ticket?
    var emailID: Int64?
    var mailboxID: Int64?
    var changedFields: [TicketField] = []
    var replyBy: WorkflowTrigger.ReplyAuthor?
    var extra: [String: String] = [:]

    init(kind: WorkflowTrigger.Kind, eventID: Int64?, ticket: Ticket? = nil, ticketID: TicketID? = nil) {
        self.kind = kind
        self.eventID = eventID
        self.ticket = ticket
        self.ticketID = ticket?.id ?? ticketID
    }

    /// The context of `logged`, nil when no trigger listens to it. `ticket.status_changed` and
    /// `ticket.assigned` travel beside the `ticket.updated` of the same change, which carries
    /// every changed field: only that one fires "ticket updated", so a change fires it once.
    static func of(_ logged: LoggedEvent) -> WorkflowContext? {
        switch logged.event {
        case .ticket(.ticketCreated(let ticket)):
            return WorkflowContext(kind: .ticketCreated, eventID: logged.id, ticket: ticket)
        case .ticket(.ticketUpdated(let ticket, let changes)):
            var context = WorkflowContext(kind: .ticketUpdated, eventID: logged.id, ticket: ticket)
            context.changedFields = changes.map(\.field)
            return context
        case .ticket(.messageAdded(let ticket, let message)):
            guard message.kind == .reply else { return nil }
            var context = WorkflowContext(kind: .replyAdded, eventID: logged.id, ticket: ticket)
            switch message.author {
            case .agent: context.replyBy = .agent
            case .requester: context.replyBy = .requester
            case .system: return nil
            }
            context.extra["reply.body"] = message.body
            context.extra["reply.by"] = context.replyBy?.rawValue
            return context
        case .sla(.warning(let id, let metric, _)):
            var context = WorkflowContext(kind: .slaWarning, eventID: logged.id, ticketID: id)
            context.extra["sla.metric"] = metric.rawValue
            return context
        case .sla(.breached(let id, let metric, _)):
            var context = WorkflowContext(kind: .slaBreached, eventID: logged.id, ticketID: id)
            context.extra["sla.metric"] = metric.rawValue
            return context
        case .survey(.rated(let survey)):
            var context = WorkflowContext(kind: .surveyRated, eventID: logged.id, ticketID: survey.ticketID)
            context.extra["survey.rating"] = survey.rating.map(String.init)
            return context
        case .email(.received(let email, let mailbox)):
            var context = WorkflowContext(kind: .emailReceived, eventID: logged.id)
            context.emailID = email
            context.mailboxID = mailbox
            return context
        case .ticket, .sla, .survey, .notificationCreated, .notificationsRead, .ticketPolicyChanged, .slaPolicyChanged,
             .access, .record:
            return nil
        }
    }

    /// Whether `trigger` fires for this context (its kind, and the narrowing it gives).
    func fires(_ trigger: WorkflowTrigger) -> Bool {
        guard trigger.kind == kind else { return false }
        switch kind {
        case .emailReceived: return trigger.mailboxId == nil || trigger.mailboxId == mailboxID
        case .ticketUpdated:
            if let field = trigger.field, !changedFields.contains(field) { return false }
            if let status = trigger.status { return changedFields.contains(.status) && ticket?.status == status }
            return true
        case .replyAdded: return trigger.by == nil || trigger.by == replyBy
        case .ticketCreated, .slaWarning, .slaBreached, .surveyRated, .timeElapsed: return true
        }
    }
}
