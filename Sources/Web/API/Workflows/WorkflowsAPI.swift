import Foundation
import Mail
import Realtime
import Tickets

/// Workflows, their run log, dry runs and templates: every route needs `workflow.manage`.
enum WorkflowsAPI {
    private struct ListJSON: Encodable { let workflows: [WorkflowJSON] }
    private struct RunsJSON: Encodable { let runs: [WorkflowRunJSON] }
    private struct ReorderBody: Decodable { let ids: [Int64] }
    private struct TemplateBody: Decodable { let enabled: Bool? }
    private struct PatternBody: Decodable { let pattern: String; let sample: String? }
    private struct PatternJSON: Encodable { let valid: Bool; let error: String?; let matches: Bool? }

    /// A dry run: a saved workflow (`workflowId`) or unsaved conditions and actions, against a
    /// ticket (`ticketId`) or a pasted raw email (`email`, up to `maxPastedEmailBytes`).
    private struct DryRunBody: Decodable {
        let workflowId: Int64?
        let conditions: ConditionGroup?
        let actions: [WorkflowAction]?
        let ticketId: Int64?
        let email: String?
    }

    private struct DryRunJSON: Encodable {
        let matched: Bool
        let conditions: [CompiledConditions.Outcome]
        let actions: [String]
    }

    /// The largest pasted email a dry run parses: enough for any text email; files are not
    /// looked at by conditions.
    static let maxPastedEmailBytes = 1_000_000

    static func register(_ routes: APIRoutes) {
        let workflows = routes.services.workflows
        routes.api(.get, "/api/workflows", permission: .workflowManage) { request in
            try JSONBody.response(ListJSON(workflows: try await workflows.workflows(for: request.actor).map(WorkflowJSON.init)))
        }
        routes.api(.get, "/api/workflows/catalog", permission: .workflowManage) { _ in
            try JSONBody.response(WorkflowCatalogJSON.current)
        }
        routes.api(.post, "/api/workflows", permission: .workflowManage) { request in
            let created = try await workflows.create(try request.decode(WorkflowDraft.self), by: request.actor)
            var response = try JSONBody.response(WorkflowJSON(created), status: .created)
            response.headers.set("Location", "/api/workflows/\(created.id)")
            return response
        }
        routes.api(.post, "/api/workflows/templates/:key", permission: .workflowManage) { request in
            let body = request.http.body.isEmpty ? TemplateBody(enabled: nil) : try request.decode(TemplateBody.self)
            let created = try await workflows.createFromTemplate(request.http.parameters["key"] ?? "", enabled: body.enabled ?? true,
                                                                  by: request.actor)
            var response = try JSONBody.response(WorkflowJSON(created), status: .created)
            response.headers.set("Location", "/api/workflows/\(created.id)")
            return response
        }
        routes.api(.post, "/api/workflows/reorder", permission: .workflowManage) { request in
            let ordered = try await workflows.reorder(try request.decode(ReorderBody.self).ids.map(WorkflowID.init), by: request.actor)
            return try JSONBody.response(ListJSON(workflows: ordered.map(WorkflowJSON.init)))
        }
        routes.api(.post, "/api/workflows/test-pattern", permission: .workflowManage) { request in
            let body = try request.decode(PatternBody.self)
            do {
                let pattern = try BoundedPattern(body.pattern)
                return try JSONBody.response(PatternJSON(valid: true, error: nil, matches: body.sample.map(pattern.matches)))
            } catch let error as PatternError {
                return try JSONBody.response(PatternJSON(valid: false, error: error.description, matches: nil))
            }
        }
        routes.api(.post, "/api/workflows/dry-run", permission: .workflowManage) { request in
            try await dryRun(try request.decode(DryRunBody.self), request, routes.services)
        }
        routes.api(.get, "/api/workflows/runs", permission: .workflowManage) { request in
            let ticket = try APIQuery.position(request.http.queryValue("ticketId"), field: "ticketId").map(TicketID.init)
            let workflow = try APIQuery.position(request.http.queryValue("workflowId"), field: "workflowId").map(WorkflowID.init)
            let before = try APIQuery.position(request.http.queryValue("before"), field: "before")
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: 50, max: 200)
            let runs = try await workflows.runs(workflow: workflow, ticket: ticket, before: before, limit: limit, for: request.actor)
            return try JSONBody.response(RunsJSON(runs: runs.map(WorkflowRunJSON.init)))
        }
        routes.api(.get, "/api/workflows/runs/:id", permission: .workflowManage) { request in
            try JSONBody.response(WorkflowRunJSON(try await workflows.run(try request.id("id"), for: request.actor)))
        }
        routes.api(.get, "/api/workflows/:id", permission: .workflowManage) { request in
            try JSONBody.response(WorkflowJSON(try await workflows.workflow(WorkflowID(try request.id("id")), for: request.actor)))
        }
        routes.api(.patch, "/api/workflows/:id", permission: .workflowManage) { request in
            let updated = try await workflows.update(WorkflowID(try request.id("id")), try request.decode(WorkflowDraft.self), by: request.actor)
            return try JSONBody.response(WorkflowJSON(updated))
        }
        routes.api(.delete, "/api/workflows/:id", permission: .workflowManage) { request in
            try await workflows.delete(WorkflowID(try request.id("id")), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
    }

    private static func dryRun(_ body: DryRunBody, _ request: APIRequest, _ services: Services) async throws -> HTTPResponse {
        var draft = WorkflowDraft(conditions: body.conditions, actions: body.actions)
        if let id = body.workflowId {
            let saved = try await services.workflows.workflow(WorkflowID(id), for: request.actor)
            draft = WorkflowDraft(conditions: body.conditions ?? saved.conditions, actions: body.actions ?? saved.actions)
        }
        let subject: DryRunSubject
        if let ticket = body.ticketId {
            subject = .ticket(TicketID(ticket))
        } else if let raw = body.email {
            guard raw.utf8.count <= maxPastedEmailBytes else {
                throw ProblemError.unprocessable("Paste at most \(maxPastedEmailBytes) bytes.", field: "email")
            }
            subject = .email(try pastedEmail(raw))
        } else {
            throw ProblemError.unprocessable("Give a ticketId or a pasted email.", field: "ticketId")
        }
        let result = try await services.workflows.dryRun(draft, against: subject, for: request.actor)
        return try JSONBody.response(DryRunJSON(matched: result.matched, conditions: result.conditions, actions: result.actions))
    }

    /// The pasted email as the workflows would keep it (line ends made CRLF: pasted text
    /// usually has bare LFs, which the parser repairs anyway).
    private static func pastedEmail(_ raw: String) throws -> StoredEmail {
        let message: MailMessage
        do {
            message = try MailMessage.parse(Array(raw.utf8))
        } catch let error as MailParseError {
            throw ProblemError.unprocessable("The email cannot be read: \(error.description)", field: "email")
        }
        let author = message.replyTo.first ?? message.author
        return StoredEmail(fromAddress: author?.normalized ?? "", fromName: author?.name, subject: message.subject, text: message.text,
                           recipients: (message.to + message.cc).map(\.normalized),
                           headers: message.headers.fields.map { EmailHeader(name: $0.name, value: $0.value) },
                           autoReplySuppression: LoopGuard.autoReplySuppression(for: message, ourAddresses: []).map(\.description))
    }
}
