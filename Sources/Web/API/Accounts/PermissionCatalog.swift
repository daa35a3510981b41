import Realtime
import Tickets

/// What each permission allows, in words an administrator reads when editing a role.
enum PermissionCatalog {
    /// One permission and its description.
    struct Entry: Encodable {
        let name: String
        let description: String
    }

    /// Every permission, in declaration order.
    static var entries: [Entry] {
        Permission.allCases.map { Entry(name: $0.rawValue, description: description($0)) }
    }

    /// The description of `permission`.
    static func description(_ permission: Permission) -> String {
        switch permission {
        case .ticketView: "See tickets, their thread and attachments."
        case .ticketCreate: "Create tickets."
        case .ticketUpdate: "Change tickets, reply and add internal notes."
        case .ticketDelete: "Delete tickets."
        case .ticketAssign: "Assign tickets to agents."
        case .ticketBulk: "Change or delete many tickets at once."
        case .ticketExport: "Export ticket lists as CSV."
        case .slaManage: "Manage SLA policies and business hours."
        case .cannedManage: "Manage canned responses."
        case .assignmentManage: "Manage automatic assignment rules."
        case .workflowManage: "Manage email workflows and the auto-responder."
        case .usersManage: "Add agents, change their role, deactivate them, reset passwords."
        case .rolesManage: "Create, edit and delete roles."
        case .reportsView: "See reports and export them."
        case .accountManage: "Change the account name and logo."
        case .auditView: "Read the audit log."
        }
    }

    /// Parses permission names; throws a 422 on `field` naming the first unknown one.
    static func parse(_ names: [String], field: String = "permissions") throws -> Set<Permission> {
        var result: Set<Permission> = []
        for name in names {
            guard let permission = Permission(rawValue: name) else {
                throw ProblemError.unprocessable("Unknown permission '\(name)'.", field: field)
            }
            result.insert(permission)
        }
        return result
    }
}
