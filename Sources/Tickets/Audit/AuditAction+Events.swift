import Foundation

extension AuditAction {
    /// The events a configuration change logs beside its audit entry.
    func configurationEvents(subject id: Int64?) -> [DomainEvent] {
        switch self {
        case .agentCreated: [.record(RecordEvent("agent", .created, id: id))]
        case .agentUpdated: [.record(RecordEvent("agent", .updated, id: id))] + (id.map { [.access(.agentChanged(AgentID($0)))] } ?? [])
        case .roleCreated: [.record(RecordEvent("role", .created, id: id))]
        case .roleUpdated: [.record(RecordEvent("role", .updated, id: id))] + (id.map { [.access(.roleChanged(RoleID($0)))] } ?? [])
        case .roleDeleted: [.record(RecordEvent("role", .deleted, id: id))]
        case .accountUpdated: [.record(RecordEvent("settings", .updated, id: nil))]
        case .cannedCreated: [.record(RecordEvent("canned_response", .created, id: id))]
        case .surveySettingsUpdated: [.record(RecordEvent("survey_settings", .updated, id: nil))]
        case .cannedUpdated: [.record(RecordEvent("canned_response", .updated, id: id))]
        case .cannedDeleted: [.record(RecordEvent("canned_response", .deleted, id: id))]
        case .ruleCreated: [.record(RecordEvent("assignment_rule", .created, id: id))]
        case .ruleUpdated, .rulesReordered: [.record(RecordEvent("assignment_rule", .updated, id: id))]
        case .ruleDeleted: [.record(RecordEvent("assignment_rule", .deleted, id: id))]
        case .mailboxCreated: [.record(RecordEvent("mailbox", .created, id: id))]
        case .mailboxUpdated: [.record(RecordEvent("mailbox", .updated, id: id))]
        case .mailboxDeleted: [.record(RecordEvent("mailbox", .deleted, id: id))]
        case .workflowCreated: [.record(RecordEvent("workflow", .created, id: id))]
        case .workflowUpdated, .workflowsReordered: [.record(RecordEvent("workflow", .updated, id: id))]
        case .workflowDeleted: [.record(RecordEvent("workflow", .deleted, id: id))]
        case .webhookCreated: [.record(RecordEvent("webhook", .created, id: id))]
        case .webhookUpdated, .webhookSecretRotated: [.record(RecordEvent("webhook", .updated, id: id))]
        case .webhookDeleted: [.record(RecordEvent("webhook", .deleted, id: id))]
        case .slaPolicyCreated: [.slaPolicyChanged(SLAPolicyID(id ?? 0), .created)]
        case .slaPolicyUpdated: [.slaPolicyChanged(SLAPolicyID(id ?? 0), .updated)]
        case .slaPolicyDeleted: [.slaPolicyChanged(SLAPolicyID(id ?? 0), .deleted)]
        case .ticketCreated, .ticketUpdated, .statusChanged, .assigned, .ticketDeleted, .replyAdded, .noteAdded, .attachmentAdded,
             .bulkUpdated, .bulkDeleted, .autoAssigned, .merged, .mergedInto, .watcherAdded, .watcherRemoved, .linkAdded,
             .linkRemoved, .slaWarning, .slaBreached, .accessLinkIssued, .accessLinkRegenerated, .accessLinkExpiryChanged,
             .surveyCreated, .surveyRated, .surveyCancelled, .ccAdded, .ccRemoved, .surveySent, .surveyAnswerChanged,
             .ticketPolicyChanged, .linkUpdated, .workflowRan:
            []
        }
    }
}
