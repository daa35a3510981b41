import Foundation
import Realtime
import Tickets

/// A canned response as the API shows it.
struct CannedResponseJSON: Encodable, Sendable {
    let response: CannedResponse
    let createdBy: AgentRefJSON?

    private enum Keys: String, CodingKey { case id, title, body, category, createdBy, createdAt, updatedAt }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(response.id.rawValue, forKey: .id)
        try c.encode(response.title, forKey: .title)
        try c.encode(response.body, forKey: .body)
        try c.encode(response.category?.rawValue, forKey: .category)
        try c.encode(createdBy, forKey: .createdBy)
        try c.encode(response.createdAt, forKey: .createdAt)
        try c.encode(response.updatedAt, forKey: .updatedAt)
    }

    /// The responses with their authors' names.
    static func list(_ responses: [CannedResponse], _ services: Services) async throws -> [CannedResponseJSON] {
        let people = try await PeopleDirectory.load(services, contacts: [])
        return responses.map { CannedResponseJSON(response: $0, createdBy: people.agent($0.createdBy)) }
    }
}

/// `POST` and `PATCH /api/canned-responses`: only the keys present change; `category: null` clears.
struct CannedResponseBody: Decodable {
    let draft: CannedResponseDraft

    private enum Keys: String, CodingKey { case title, body, category }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var draft = CannedResponseDraft()
        draft.title = try c.decodeIfPresent(String.self, forKey: .title)
        draft.body = try c.decodeIfPresent(String.self, forKey: .body)
        if c.contains(.category) {
            draft.category = .some(try c.decodeNil(forKey: .category) ? nil : try c.decode(TicketCategory.self, forKey: .category))
        }
        self.draft = draft
    }
}

/// Canned responses: any agent lists, searches and renders them; `canned.manage` changes them.
enum CannedResponsesAPI {
    private struct ListJSON: Encodable {
        let cannedResponses: [CannedResponseJSON]
    }

    private struct RenderBody: Decodable {
        let ticketId: Int64
    }

    private struct RenderedJSON: Encodable {
        let id: Int64
        let title: String
        let body: String
        let unknownPlaceholders: [String]
    }

    static func register(_ routes: APIRoutes) {
        let services = routes.services
        let canned = services.cannedResponses
        routes.api(.get, "/api/canned-responses", permission: .ticketView) { request in
            let category = try request.http.queryValue("category").map { raw in
                guard let category = TicketCategory(rawValue: raw) else {
                    throw ProblemError.unprocessable("Unknown category.", field: "category")
                }
                return category
            }
            let limit = try APIQuery.limit(request.http.queryValue("limit"), default: CannedResponseService.maxResults,
                                           max: CannedResponseService.maxResults)
            let found = try await canned.search(request.http.queryValue("q") ?? "", category: category, limit: limit, for: request.actor)
            return try JSONBody.response(ListJSON(cannedResponses: try await CannedResponseJSON.list(found, services)))
        }
        routes.api(.post, "/api/canned-responses", permission: .cannedManage) { request in
            let created = try await canned.create(try request.decode(CannedResponseBody.self).draft, by: request.actor)
            var response = try JSONBody.response(try await CannedResponseJSON.list([created], services)[0], status: .created)
            response.headers.set("Location", "/api/canned-responses/\(created.id)")
            return response
        }
        routes.api(.get, "/api/canned-responses/:id", permission: .ticketView) { request in
            let found = try await canned.response(CannedResponseID(try request.id("id")), for: request.actor)
            return try JSONBody.response(try await CannedResponseJSON.list([found], services)[0])
        }
        routes.api(.patch, "/api/canned-responses/:id", permission: .cannedManage) { request in
            let id = CannedResponseID(try request.id("id"))
            let updated = try await canned.update(id, try request.decode(CannedResponseBody.self).draft, by: request.actor)
            return try JSONBody.response(try await CannedResponseJSON.list([updated], services)[0])
        }
        routes.api(.delete, "/api/canned-responses/:id", permission: .cannedManage) { request in
            try await canned.delete(CannedResponseID(try request.id("id")), by: request.actor)
            return HTTPResponse(status: .noContent)
        }
        routes.api(.post, "/api/canned-responses/:id/render", permission: .ticketView) { request in
            let id = CannedResponseID(try request.id("id"))
            let body = try request.decode(RenderBody.self)
            let (response, rendered) = try await canned.render(id, ticket: TicketID(body.ticketId), for: request.actor)
            return try JSONBody.response(RenderedJSON(id: response.id.rawValue, title: response.title, body: rendered.body,
                                                      unknownPlaceholders: rendered.unknownPlaceholders))
        }
    }
}
