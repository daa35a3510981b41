import Foundation

/// The ready-made workflows an administrator enables in one step: the seed's two email flows.
public enum WorkflowTemplates {
    public struct Template: Sendable {
        public let key: String
        public let description: String
        public let draft: WorkflowDraft
    }

    /// The acknowledgment the auto-responder sends (placeholders: `WorkflowPlaceholders`).
    static let acknowledgmentBody = """
        Hello {{requester.name}},

        Thank you for writing to us. We have received your request and it has the reference {{ticket.reference}}. \
        An agent will answer you soon; to add anything, reply to this email and keep the reference in the subject.

        Subject: {{ticket.subject}}
        Status: {{ticket.status}}
        """

    public static let all: [Template] = [
        Template(key: "email-to-ticket",
                 description: "Email received at any mailbox: create a ticket (channel Email, sender as requester, attachments kept).",
                 draft: WorkflowDraft(name: "Email to ticket", trigger: WorkflowTrigger(kind: .emailReceived),
                                      conditions: ConditionGroup(), actions: [WorkflowAction(type: .createTicket)])),
        Template(key: "auto-responder",
                 description: "Ticket created with channel Email: send the requester an acknowledgment with the ticket reference.",
                 draft: WorkflowDraft(name: "Auto-responder", trigger: WorkflowTrigger(kind: .ticketCreated),
                                      conditions: ConditionGroup(match: .all, conditions: [
                                          .condition(Condition(field: "ticket.channel", op: .equals, value: "email")),
                                      ]),
                                      actions: [autoReply])),
    ]

    private static var autoReply: WorkflowAction {
        var action = WorkflowAction(type: .sendEmail)
        action.to = .requester
        action.subject = "We received your request: {{ticket.subject}}"
        action.body = acknowledgmentBody
        return action
    }
}
