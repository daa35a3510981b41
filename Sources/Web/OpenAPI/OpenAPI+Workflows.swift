import Tickets

/// Workflows, their run log and dry runs (`API/Workflows/`).
extension OpenAPIDocument {
    static var workflows: Part {
        Part(paths: workflowPaths.merging(webhookPaths) { a, _ in a }, schemas: workflowSchemas.merging(webhookSchemas) { a, _ in a })
    }

    private static var webhookPaths: [String: Any] {
        let id = pathParameter("id")
        let missing = problem("No such webhook.")
        let signing = "A workflow's call_webhook action queues a delivery: a POST of the run's JSON (workflow, event, ticket, email) with headers X-Helpdesk-Delivery (its id), X-Helpdesk-Timestamp (Unix seconds) and X-Helpdesk-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + \".\" + body)>. A 2xx delivers; anything else is retried after \(WebhookService.retryDelays.map { "\(Int($0)) s" }.joined(separator: ", ")), then fails. Each request has 10 s timeouts per step and reads at most 64 KiB of the answer; link-local addresses (169.254.0.0/16, the cloud metadata range, and fe80::/10) are refused; loopback and private networks are allowed."
        return [
            "/api/webhooks": [
                "get": ticketOperation("List the webhooks (never their secrets). " + signing, "workflow.manage",
                                       ["200": jsonResponse("Every webhook by name.", schema: ref("Webhooks"))]),
                "post": ticketOperation("Add a webhook. The answer carries its secret, the only time it is shown.", "workflow.manage",
                                        body: jsonBody("WebhookInput"),
                                        ["201": jsonResponse("The new webhook with its secret (Location header).", schema: ref("Webhook"))]
                                            .merging(workflowBodyErrors) { a, _ in a }),
            ],
            "/api/webhooks/{id}": [
                "patch": ticketOperation("Change a webhook's name, URL or enabled flag.", "workflow.manage", parameters: [id],
                                         body: jsonBody("WebhookInput"),
                                         ["200": jsonResponse("The webhook.", schema: ref("Webhook")), "404": missing]
                                            .merging(workflowBodyErrors) { a, _ in a }),
                "delete": ticketOperation("Delete a webhook; its queued deliveries fail.", "workflow.manage", parameters: [id],
                                          ["204": ["description": "Deleted."], "404": missing]),
            ],
            "/api/webhooks/{id}/rotate-secret": [
                "post": ticketOperation("Replace the secret; deliveries not yet sent are signed with the new one, shown here once.",
                                        "workflow.manage", parameters: [id],
                                        ["200": jsonResponse("The new secret.", schema: objectType(["secret": stringType])), "404": missing]),
            ],
            "/api/webhooks/{id}/deliveries": [
                "get": ticketOperation("The delivery log, newest first: each delivery's state and every attempt's response code or error.",
                                       "workflow.manage", parameters: [id, queryParameter("limit", "1 to 200, default 50.", integerType)],
                                       ["200": jsonResponse("The deliveries.", schema: ref("WebhookDeliveries")), "404": missing,
                                        "422": invalidField]),
            ],
        ]
    }

    private static var webhookSchemas: [String: Any] {
        let attempt = objectType(["at": dateTimeType, "status": integerType, "error": stringType, "durationMs": integerType],
                                 required: ["at", "durationMs"])
        return [
            "Webhook": objectType([
                "id": integerType, "name": stringType, "url": stringType, "enabled": ["type": "boolean"],
                "createdAt": dateTimeType, "updatedAt": dateTimeType,
                "secret": ["type": "string", "description": "Only in the answer to creation."],
            ], required: ["id", "name", "url", "enabled", "createdAt", "updatedAt"]),
            "Webhooks": objectType(["webhooks": ["type": "array", "items": ref("Webhook")]]),
            "WebhookInput": [
                "type": "object", "description": "On POST, name and url are required.",
                "properties": ["name": ["type": "string", "minLength": 1, "maxLength": WebhookService.maxNameLength],
                               "url": ["type": "string", "maxLength": WebhookService.maxURLLength, "description": "http:// or https://, no user info."],
                               "enabled": ["type": "boolean"]],
            ],
            "WebhookDelivery": objectType([
                "id": integerType, "webhookId": integerType, "eventId": integerType, "state": enumeration(["queued", "delivered", "failed"]),
                "attempts": ["type": "array", "items": attempt], "nextAttemptAt": dateTimeType, "createdAt": dateTimeType,
                "deliveredAt": dateTimeType, "payload": ["type": "string", "description": "The JSON body sent."],
            ], required: ["id", "webhookId", "state", "attempts", "createdAt", "payload"]),
            "WebhookDeliveries": objectType(["deliveries": ["type": "array", "items": ref("WebhookDelivery")]]),
        ]
    }

    private static var workflowBodyErrors: [String: Any] {
        ["400": problem("The body is not JSON."), "415": problem("The body is not application/json."), "422": invalidField]
    }

    private static var workflowPaths: [String: Any] {
        let id = pathParameter("id")
        let one = jsonResponse("The workflow.", schema: ref("Workflow"))
        let list = jsonResponse("Every workflow in evaluation order.", schema: ref("Workflows"))
        let missing = problem("No such workflow.")
        let how = "Workflows run as the event log's `workflows` consumer: for each event a trigger listens to, enabled workflows are checked in position order and every one whose conditions hold runs its actions in order, each action in a savepoint (a failing one is recorded in the run log and the others still run), in one transaction with the run's log row; a run is unique per (workflow, event), so none runs twice. Changes a workflow makes trigger workflows again up to depth \(WorkflowRunner.maxDepth). New email joins the workflows only while an enabled workflow with an email.received trigger covers its mailbox; otherwise the default rule files it as a ticket."
        return [
            "/api/workflows": [
                "get": ticketOperation("List the workflows. " + how, "workflow.manage", ["200": list]),
                "post": ticketOperation("Add a workflow after the existing ones (disabled unless enabled is true). Patterns (operator matches) are validated here: our own linear-time engine, no backreferences or lookaround, at most \(BoundedPattern.maxPatternLength) characters.",
                                        "workflow.manage", body: jsonBody("WorkflowInput"),
                                        ["201": jsonResponse("The new workflow (Location header).", schema: ref("Workflow")),
                                         "409": problem("The account has \(WorkflowService.maxWorkflows) workflows.")]
                                            .merging(workflowBodyErrors) { a, _ in a }),
            ],
            "/api/workflows/catalog": [
                "get": ticketOperation("What the builder offers: triggers, condition fields (with their choices), operators, actions, placeholders, templates and limits.",
                                       "workflow.manage", ["200": jsonResponse("The catalog.", schema: ref("WorkflowCatalog"))]),
            ],
            "/api/workflows/templates/{key}": [
                "post": ticketOperation("Create a workflow from a template (email-to-ticket, auto-responder), enabled unless the body says {\"enabled\": false}.",
                                        "workflow.manage", parameters: [pathParameter("key", ["type": "string"])],
                                        ["201": jsonResponse("The new workflow (Location header).", schema: ref("Workflow")),
                                         "404": problem("No such template."), "409": problem("Too many workflows.")]
                                            .merging(workflowBodyErrors) { a, _ in a }),
            ],
            "/api/workflows/reorder": [
                "post": ticketOperation("Put the workflows in this order (every id exactly once).", "workflow.manage",
                                        body: jsonBody("IdOrder"), ["200": list].merging(workflowBodyErrors) { a, _ in a }),
            ],
            "/api/workflows/test-pattern": [
                "post": ticketOperation("Check a pattern as saving would, and optionally match it against a sample text.", "workflow.manage",
                                        body: jsonBody("PatternTest"),
                                        ["200": jsonResponse("Whether it is valid (else why) and whether the sample matches.", schema: ref("PatternTestResult"))]
                                            .merging(workflowBodyErrors) { a, _ in a }),
            ],
            "/api/workflows/dry-run": [
                "post": ticketOperation("Evaluate a saved workflow's (workflowId) or unsaved conditions against a ticket (ticketId) or a pasted raw email (email, up to \(WorkflowsAPI.maxPastedEmailBytes) bytes), and say what the actions would do. Changes nothing.",
                                        "workflow.manage", body: jsonBody("DryRunRequest"),
                                        ["200": jsonResponse("Each condition's outcome and the actions described.", schema: ref("DryRunResult")),
                                         "404": problem("No such workflow or ticket.")].merging(workflowBodyErrors) { a, _ in a }),
            ],
            "/api/workflows/runs": [
                "get": ticketOperation("The run log, newest first: every run of a workflow whose trigger fired and whose conditions held, with the event, each condition's outcome and each action's result.",
                                       "workflow.manage", parameters: [
                                           queryParameter("workflowId", "Only runs of this workflow.", integerType),
                                           queryParameter("ticketId", "Only runs on this ticket (linked from its timeline's workflow.ran entries).", integerType),
                                           queryParameter("before", "Runs with a smaller id (paging).", integerType),
                                           queryParameter("limit", "1 to 200, default 50.", integerType),
                                       ], ["200": jsonResponse("The runs.", schema: ref("WorkflowRuns")), "422": invalidField]),
            ],
            "/api/workflows/runs/{id}": [
                "get": ticketOperation("One run of the run log.", "workflow.manage", parameters: [id],
                                       ["200": jsonResponse("The run.", schema: ref("WorkflowRun")), "404": problem("No such run.")]),
            ],
            "/api/workflows/{id}": [
                "get": ticketOperation("Read a workflow", "workflow.manage", parameters: [id], ["200": one, "404": missing]),
                "patch": ticketOperation("Change a workflow: the keys present replace their values (enabled: true or false enables or disables it).",
                                         "workflow.manage", parameters: [id], body: jsonBody("WorkflowInput"),
                                         ["200": one, "404": missing].merging(workflowBodyErrors) { a, _ in a }),
                "delete": ticketOperation("Delete a workflow (its runs stay in the run log).", "workflow.manage", parameters: [id],
                                          ["204": ["description": "Deleted."], "404": missing]),
            ],
        ]
    }

    private static var workflowSchemas: [String: Any] {
        let trigger: [String: Any] = [
            "type": "object", "required": ["kind"],
            "properties": [
                "kind": enumeration(WorkflowTrigger.Kind.allCases.map(\.rawValue)),
                "mailboxId": ["type": "integer", "description": "email.received: only this mailbox (absent: any)."],
                "field": ["type": "string", "enum": TicketField.allCases.map(\.rawValue), "description": "ticket.updated: only when this field changed."],
                "status": ["$ref": "#/components/schemas/TicketStatus", "description": "ticket.updated: the status became this; time.elapsed: the status held."],
                "by": ["type": "string", "enum": WorkflowTrigger.ReplyAuthor.allCases.map(\.rawValue), "description": "reply.added: only replies by them."],
                "hours": ["type": "number", "exclusiveMinimum": 0, "maximum": WorkflowRules.maxHours,
                          "description": "time.elapsed: how long the status has held."],
                "businessHours": ["type": "boolean", "description": "time.elapsed: count business hours of the ticket's SLA calendar."],
            ],
        ]
        let condition: [String: Any] = [
            "type": "object", "required": ["field", "op"],
            "properties": [
                "field": ["type": "string", "description": "A catalog field, or email.header.<Name>."],
                "op": enumeration(Condition.Operator.allCases.map(\.rawValue)),
                "value": ["type": "string", "maxLength": CompiledConditions.maxOperandLength],
                "values": ["type": "array", "items": stringType, "maxItems": CompiledConditions.maxValues],
            ],
        ]
        let group: [String: Any] = [
            "type": "object", "required": ["match", "conditions"],
            "description": "All or any of the items; an item with a match key is a nested group (at most \(CompiledConditions.maxDepth) deep, \(CompiledConditions.maxConditions) items in all). Text comparisons ignore case.",
            "properties": [
                "match": enumeration(["all", "any"]),
                "conditions": ["type": "array", "items": ["oneOf": [ref("WorkflowCondition"), ref("ConditionGroup")]]],
            ],
        ]
        let action: [String: Any] = [
            "type": "object", "required": ["type"],
            "properties": [
                "type": enumeration(WorkflowAction.Kind.allCases.map(\.rawValue)),
                "field": enumeration(["status", "priority", "category"]), "value": stringType,
                "category": ref("TicketCategory"), "priority": ref("TicketPriority"),
                "tags": ["type": "array", "items": stringType], "agentId": integerType,
                "to": enumeration(WorkflowAction.Recipient.allCases.map(\.rawValue)), "address": stringType,
                "subject": stringType, "body": stringType, "webhookId": integerType,
                "agentIds": ["type": "array", "items": integerType, "maxItems": 50],
            ],
        ]
        let outcome = objectType(["field": stringType, "op": stringType, "value": stringType, "matched": ["type": "boolean"]],
                                 required: ["field", "op", "matched"])
        let result = objectType(["type": stringType, "status": enumeration(["done", "skipped", "failed"]), "detail": stringType])
        return [
            "WorkflowTrigger": trigger,
            "WorkflowCondition": condition,
            "ConditionGroup": group,
            "WorkflowAction": action,
            "Workflow": objectType([
                "id": integerType, "name": stringType, "position": integerType, "enabled": ["type": "boolean"],
                "trigger": ref("WorkflowTrigger"), "conditions": ref("ConditionGroup"),
                "actions": ["type": "array", "items": ref("WorkflowAction")], "createdAt": dateTimeType, "updatedAt": dateTimeType,
            ]),
            "Workflows": objectType(["workflows": ["type": "array", "items": ref("Workflow")]]),
            "WorkflowInput": [
                "type": "object", "description": "On POST, name, trigger and actions are required.",
                "properties": [
                    "name": ["type": "string", "minLength": 1, "maxLength": WorkflowRules.maxNameLength], "enabled": ["type": "boolean"],
                    "trigger": ref("WorkflowTrigger"), "conditions": ref("ConditionGroup"),
                    "actions": ["type": "array", "items": ref("WorkflowAction"), "minItems": 1, "maxItems": WorkflowRules.maxActions],
                ],
            ],
            "IdOrder": objectType(["ids": ["type": "array", "items": integerType]]),
            "PatternTest": objectType(["pattern": stringType, "sample": stringType], required: ["pattern"]),
            "PatternTestResult": objectType(["valid": ["type": "boolean"], "error": stringType, "matches": ["type": "boolean"]],
                                            required: ["valid"]),
            "DryRunRequest": [
                "type": "object",
                "properties": ["workflowId": integerType, "conditions": ref("ConditionGroup"),
                               "actions": ["type": "array", "items": ref("WorkflowAction")], "ticketId": integerType, "email": stringType],
            ],
            "DryRunResult": objectType(["matched": ["type": "boolean"], "conditions": ["type": "array", "items": outcome],
                                        "actions": ["type": "array", "items": stringType]]),
            "WorkflowRun": objectType([
                "id": integerType, "workflowId": integerType, "workflowName": stringType, "eventId": integerType, "trigger": stringType,
                "ticketId": integerType, "emailId": integerType, "depth": integerType,
                "outcome": enumeration(["done", "failed", "depth_limit"]),
                "conditions": ["type": "array", "items": outcome], "actions": ["type": "array", "items": result], "at": dateTimeType,
            ], required: ["id", "workflowId", "workflowName", "trigger", "depth", "outcome", "conditions", "actions", "at"]),
            "WorkflowRuns": objectType(["runs": ["type": "array", "items": ref("WorkflowRun")]]),
            "WorkflowCatalog": objectType([
                "triggers": ["type": "array", "items": stringType],
                "fields": ["type": "array", "items": objectType(["name": stringType, "label": stringType,
                                                                 "choices": ["type": "array", "items": stringType]], required: ["name", "label"])],
                "headerFieldPrefix": stringType, "operators": ["type": "array", "items": stringType],
                "actions": ["type": "array", "items": stringType], "placeholders": ["type": "array", "items": stringType],
                "templates": ["type": "array", "items": objectType(["key": stringType, "name": stringType, "description": stringType])],
                "maxDepth": integerType, "maxConditions": integerType, "maxPatternLength": integerType,
            ]),
        ]
    }
}
