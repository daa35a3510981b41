import Foundation

/// The JSON body a webhook receives: which workflow, which event, and the ticket (or email)
/// as the run left it. Stable field names (the receiver's contract, in the API document).
enum WebhookPayload {
    private struct Body: Encodable {
        let workflow: WorkflowRef
        let event: EventRef
        let ticket: TicketRef?
        let email: EmailRef?
        let at: Date
    }

    private struct WorkflowRef: Encodable { let id: Int64; let name: String }
    private struct EventRef: Encodable { let id: Int64?; let trigger: String }
    private struct TicketRef: Encodable {
        let id: Int64, reference: String, subject: String, status: String, priority: String, category: String, channel: String
        let requesterId: Int64, assigneeId: Int64?, tags: [String]
    }
    private struct EmailRef: Encodable { let id: Int64; let from: String; let subject: String; let mailboxId: Int64? }

    static func make(workflow: Workflow, eventID: Int64?, ticket: Ticket?, email: StoredEmail?, at: Date) throws -> String {
        let body = Body(
            workflow: WorkflowRef(id: workflow.id.rawValue, name: workflow.name),
            event: EventRef(id: eventID, trigger: workflow.trigger.kind.rawValue),
            ticket: ticket.map {
                TicketRef(id: $0.id.rawValue, reference: $0.reference, subject: $0.subject, status: $0.status.rawValue,
                          priority: $0.priority.rawValue, category: $0.category.rawValue, channel: $0.channel.rawValue,
                          requesterId: $0.requesterID.rawValue, assigneeId: $0.assigneeID?.rawValue, tags: $0.tags)
            },
            email: email.map { EmailRef(id: $0.id, from: $0.fromAddress, subject: $0.subject, mailboxId: $0.mailboxID) },
            at: at)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(body), as: UTF8.self)
    }
}
