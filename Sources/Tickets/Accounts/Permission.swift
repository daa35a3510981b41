/// A permission a role grants. Raw values are the stable names used in the API and database.
public enum Permission: String, CaseIterable, Codable, Sendable {
    case ticketView = "ticket.view"
    case ticketCreate = "ticket.create"
    case ticketUpdate = "ticket.update"
    case ticketDelete = "ticket.delete"
    case ticketAssign = "ticket.assign"
    case ticketBulk = "ticket.bulk"
    case ticketExport = "ticket.export"
    case slaManage = "sla.manage"
    case cannedManage = "canned.manage"
    case assignmentManage = "assignment.manage"
    case workflowManage = "workflow.manage"
    case usersManage = "users.manage"
    case rolesManage = "roles.manage"
    case reportsView = "reports.view"
    case accountManage = "account.manage"
    case auditView = "audit.view"
}
