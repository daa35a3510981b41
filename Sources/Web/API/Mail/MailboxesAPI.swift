import Foundation
import Realtime
import Tickets

/// Mailboxes: administrators (`account.manage`) list, create, change, delete and test them.
/// Responses never carry a password.
enum MailboxesAPI {
    private struct ListJSON: Encodable {
        let mailboxes: [MailboxJSON]
    }

    static func register(_ routes: APIRoutes) {
        let mailboxes = routes.services.mailboxes
        routes.api(.get, "/api/mailboxes", permission: .accountManage) { request in
            try JSONBody.response(ListJSON(mailboxes: try await mailboxes.list(for: request.actor).map(MailboxJSON.init)))
        }
        routes.api(.post, "/api/mailboxes", permission: .accountManage) { request in
            let created = try await mailboxes.create(try request.decode(MailboxBody.self).draft, by: request.actor)
            var response = try JSONBody.response(MailboxJSON(mailbox: created), status: .created)
            response.headers.set("Location", "/api/mailboxes/\(created.id)")
            return response
        }
        routes.api(.get, "/api/mailboxes/:id", permission: .accountManage) { request in
            try JSONBody.response(MailboxJSON(mailbox: try await mailboxes.mailbox(MailboxID(try request.id("id")), for: request.actor)))
        }
        routes.api(.patch, "/api/mailboxes/:id", permission: .accountManage) { request in
            let id = MailboxID(try request.id("id"))
            let updated = try await mailboxes.update(id, try request.decode(MailboxBody.self).draft, by: request.actor)
            return try JSONBody.response(MailboxJSON(mailbox: updated))
        }
        routes.api(.delete, "/api/mailboxes/:id", permission: .accountManage) { request in
            try await mailboxes.delete(MailboxID(try request.id("id")), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
        routes.api(.post, "/api/mailboxes/:id/test", permission: .accountManage) { request in
            let details = try await mailboxes.connectionDetails(MailboxID(try request.id("id")), for: request.actor)
            return try JSONBody.response(await MailboxConnectionTest.run(details))
        }
    }
}
