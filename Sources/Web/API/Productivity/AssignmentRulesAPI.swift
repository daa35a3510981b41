import Foundation
import Realtime
import Tickets

/// Auto-assignment rules, managed with `assignment.manage`. Manual assignment is the ticket's
/// `assigneeId` (PATCH and bulk); agents mark themselves away with `PATCH /api/agents/:id`.
enum AssignmentRulesAPI {
    private struct ListJSON: Encodable {
        let rules: [AssignmentRuleJSON]
    }

    private struct ReorderBody: Decodable {
        let ids: [Int64]
    }

    static func register(_ routes: APIRoutes) {
        let services = routes.services
        let rules = services.assignmentRules
        routes.api(.get, "/api/assignment-rules", permission: .assignmentManage) { request in
            try JSONBody.response(ListJSON(rules: try await AssignmentRuleJSON.list(try await rules.rules(for: request.actor), services)))
        }
        routes.api(.post, "/api/assignment-rules", permission: .assignmentManage) { request in
            let created = try await rules.create(try request.decode(AssignmentRuleBody.self).draft, by: request.actor)
            var response = try JSONBody.response(try await AssignmentRuleJSON.list([created], services)[0], status: .created)
            response.headers.set("Location", "/api/assignment-rules/\(created.id)")
            return response
        }
        routes.api(.post, "/api/assignment-rules/reorder", permission: .assignmentManage) { request in
            let body = try request.decode(ReorderBody.self)
            let ordered = try await rules.reorder(body.ids.map(AssignmentRuleID.init), by: request.actor)
            return try JSONBody.response(ListJSON(rules: try await AssignmentRuleJSON.list(ordered, services)))
        }
        routes.api(.get, "/api/assignment-rules/:id", permission: .assignmentManage) { request in
            let found = try await rules.rule(AssignmentRuleID(try request.id("id")), for: request.actor)
            return try JSONBody.response(try await AssignmentRuleJSON.list([found], services)[0])
        }
        routes.api(.patch, "/api/assignment-rules/:id", permission: .assignmentManage) { request in
            let id = AssignmentRuleID(try request.id("id"))
            let updated = try await rules.update(id, try request.decode(AssignmentRuleBody.self).draft, by: request.actor)
            return try JSONBody.response(try await AssignmentRuleJSON.list([updated], services)[0])
        }
        routes.api(.delete, "/api/assignment-rules/:id", permission: .assignmentManage) { request in
            try await rules.delete(AssignmentRuleID(try request.id("id")), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
    }
}
