import Foundation

/// The loop rules of automatic email (RFC 3834 and issue 12): at most `maxPerRecipient`
/// automatic emails to one address in `windowSeconds`, so two help desks answering each
/// other stop after that many messages each even when neither honours Auto-Submitted.
public enum AutomaticEmailCap {
    public static let maxPerRecipient = 10
    public static let windowSeconds: Double = 3 * 3_600
}

extension WorkflowRunner {
    /// Performs one action on the write transaction. Returns what it did (for the run log)
    /// and the ticket events it caused. Throws `ActionSkipped` when a rule held it back, any
    /// other error when it failed (the caller rolls back its savepoint).
    func perform(_ action: WorkflowAction, _ state: inout RunState, workflow: Workflow, at: Date,
                 _ db: Connection) throws -> (String, [TicketEvent]) {
        if action.type == .createTicket { return try createTicket(action, &state, at: at, db) }
        if action.type == .callWebhook { return (try queueWebhook(action, state, workflow: workflow, at: at, db), []) }
        guard let known = state.ticket else { throw ActionSkipped(reason: "there is no ticket to act on") }
        let current = try TicketRecord.load(known.id, db)
        switch action.type {
        case .setField, .addTags, .removeTags, .assign:
            var patch = TicketPatch()
            switch action.type {
            case .setField:
                switch action.field {
                case "status": patch.status = TicketStatus(rawValue: action.value ?? "")
                case "priority": patch.priority = TicketPriority(rawValue: action.value ?? "")
                case "category": patch.category = TicketCategory(rawValue: action.value ?? "")
                default: break
                }
            case .addTags: patch.tags = try TicketRules.tags(current.tags + (action.tags ?? []))
            case .removeTags:
                let removed = Set((action.tags ?? []).map { $0.lowercased() })
                patch.tags = current.tags.filter { !removed.contains($0) }
            case .assign: patch.assigneeID = .some(action.agentId.map(AgentID.init))
            case .createTicket, .addNote, .sendEmail, .callWebhook, .notifyAgents: break
            }
            let change = try TicketService.applyUpdate(patch, to: current, action: .ticketUpdated, by: .system, at: at, db)
            state.ticket = change.value
            return (change.events.isEmpty ? "no change" : "updated \(change.value.reference)", change.events)
        case .addNote:
            let body = try render(action.body ?? "", current, db)
            let note = try TicketService.insertMessage(to: current.id, NewMessage(kind: .note, body: body), body: body,
                                                       author: .system, by: .system, at: at, db)
            return ("note added", note.events)
        case .sendEmail:
            return (try queueEmail(action, current, at: at, db), [])
        case .notifyAgents:
            // Stored with their notification.created events (live to each agent's feed), unless
            // the agent switched workflow notifications off; no causing event: the run is unique.
            let title = String(try render(action.body ?? "", current, db).replacingOccurrences(of: "\n", with: " ")
                .prefix(WorkflowRules.maxNotificationLength))
            let drafts = (action.agentIds ?? []).map {
                NotificationDraft(recipient: AgentID($0), kind: .workflow, ticketID: current.id, ticketReference: current.reference, title: title)
            }
            let stored = try NotificationService.store(drafts, cause: nil, at: at, db)
            return ("\(stored.count) agent\(stored.count == 1 ? "" : "s") notified", [])
        case .createTicket, .callWebhook:
            preconditionFailure("handled above")
        }
    }

    private func createTicket(_ action: WorkflowAction, _ state: inout RunState, at: Date, _ db: Connection) throws -> (String, [TicketEvent]) {
        guard let email = state.email else { throw ActionSkipped(reason: "there is no email to make a ticket of") }
        if let existing = try StoredEmailRecord.find(email.id, db)?.ticketID {
            state.ticket = try TicketRecord.find(existing, db)
            throw ActionSkipped(reason: "the email is already ticket \(state.ticket?.reference ?? existing.description)")
        }
        let fields = TicketService.EmailTicketFields(category: action.category, priority: action.priority,
                                                     tags: try TicketRules.tags(action.tags ?? []), assignee: action.agentId.map(AgentID.init))
        guard let created = try TicketService.ticketFromEmail(email, fields: fields, at: at, db) else {
            throw ActionSkipped(reason: "the sender started \(TicketService.maxNewEmailTicketsPerSenderPerHour) tickets in the past hour")
        }
        state.ticket = created.value.ticket
        state.email?.ticketID = created.value.ticket.id
        return ("created \(created.value.ticket.reference)", created.events)
    }

    /// The placeholder values of a workflow text: the canned responses' set, plus status,
    /// priority and the assignee's name as `agent.name`.
    func render(_ template: String, _ ticket: Ticket, _ db: Connection) throws -> String {
        let requester = try ContactStore.find(ticket.requesterID, db)
        let agent = try ticket.assigneeID.flatMap { try AgentRecord.find($0, db) }
        var values = CannedTemplate.values(requesterName: requester?.name ?? "", requesterEmail: requester?.email ?? "",
                                           reference: ticket.reference, subject: ticket.subject, agentName: agent?.name ?? "")
        values["ticket.status"] = ticket.status.displayName
        values["ticket.priority"] = ticket.priority.displayName
        values["ticket.category"] = ticket.category.displayName
        return try CannedTemplate.render(template, values: values).body
    }

    /// Queues a workflow email in the outbox (sent with Auto-Submitted: auto-replied), unless
    /// a loop rule holds it back: the email that started the ticket asked for no automatic
    /// answer (`LoopGuard`), the address is one of our mailboxes, or the address already had
    /// `AutomaticEmailCap.maxPerRecipient` automatic emails in the window.
    private func queueEmail(_ action: WorkflowAction, _ ticket: Ticket, at: Date, _ db: Connection) throws -> String {
        guard let mailbox = try EmailOutboxConsumer.mailbox(for: ticket.id, db) else {
            throw ActionSkipped(reason: "no enabled mailbox to send from")
        }
        let to: (address: String, name: String)
        switch action.to ?? .requester {
        case .requester:
            guard let contact = try ContactStore.find(ticket.requesterID, db) else { throw ActionSkipped(reason: "the ticket has no requester") }
            to = (contact.email, contact.name)
        case .assignee:
            guard let agent = try ticket.assigneeID.flatMap({ try AgentRecord.find($0, db) }) else {
                throw ActionSkipped(reason: "the ticket has no assignee")
            }
            to = (agent.email, agent.name)
        case .address:
            to = (try EmailAddress.normalise(action.address ?? "", field: "address"), "")
        }
        let address = to.address.lowercased()
        guard address.contains("@") else { throw ActionSkipped(reason: "the recipient has no email address") }
        if let origin = try StoredEmailRecord.forTicket(ticket.id, db), origin.fromAddress.lowercased() == address,
           let reason = origin.autoReplySuppression {
            throw ActionSkipped(reason: "not sent: the email that started the ticket was \(reason) (RFC 3834)")
        }
        if try MailboxRecord.all(db).contains(where: { $0.address.lowercased() == address }) {
            throw ActionSkipped(reason: "not sent: \(address) is one of our own mailboxes")
        }
        let recent = try OutboxRecord.automaticQueued(to: address, since: at.addingTimeInterval(-AutomaticEmailCap.windowSeconds), db)
        guard recent < AutomaticEmailCap.maxPerRecipient else {
            throw ActionSkipped(reason: "not sent: \(address) already had \(AutomaticEmailCap.maxPerRecipient) automatic emails in 3 hours (the loop cap)")
        }
        let subject = try render(action.subject ?? "", ticket, db).replacingOccurrences(of: "\n", with: " ")
        let body = try render(action.body ?? "", ticket, db)
        let domain = mailbox.address.split(separator: "@").last.map(String.init) ?? "helpdesk.invalid"
        let thread = try EmailOutboxConsumer.thread(of: ticket.id, db)
        var email = OutboxEmail(
            messageID: makeMessageID(domain), toAddress: to.address, toName: to.name,
            subject: "\(subject.prefix(WorkflowRules.maxSubjectLength)) \(SubjectToken.make(ticket.reference, key: tokenKey))",
            body: body, files: [], inReplyTo: thread.last(where: { $0.1 == "in" })?.0 ?? thread.last?.0,
            references: Array(thread.map(\.0).suffix(20)))
        email.automatic = true
        let payload = String(decoding: try JSONEncoder().encode(email), as: UTF8.self)
        try OutboxRecord.insertAutomatic(email, payload: payload, ticket: ticket.id, mailbox: mailbox.id, to: address, at: at, db)
        try MailMessageRecord.insertOutbound(messageID: email.messageID, ticket: ticket.id, mailbox: mailbox.id, message: nil,
                                             at: at, db)
        return "email to \(address) queued"
    }

    /// Queues a delivery of the run's event to a webhook (sent by the webhook sender).
    private func queueWebhook(_ action: WorkflowAction, _ state: RunState, workflow: Workflow, at: Date,
                              _ db: Connection) throws -> String {
        guard let id = action.webhookId, let hook = try WebhookRecord.state(id, db) else {
            throw ActionSkipped(reason: "the webhook was deleted")
        }
        guard hook.enabled else { throw ActionSkipped(reason: "the webhook \(hook.name) is disabled") }
        let payload = try WebhookPayload.make(workflow: workflow, eventID: state.eventID, ticket: state.ticket, email: state.email, at: at)
        let insertedID = try WebhookRecord.queueDelivery(webhook: id, event: state.eventID, payload: payload, at: at, db)
        return "delivery \(insertedID) to \(hook.name) queued"
    }
}
