import Foundation
import Realtime
import Tickets

/// 409 answers in the API's own shapes: a stale update carries `currentTicket` as a
/// `Ticket`, a reply collision carries `newerMessages` as `Message`s, so the client
/// can show what changed and retry (with the new version, or `force`).
enum ConflictProblem {
    private struct Body: Encodable {
        let type = "about:blank"
        let title = HTTPStatus.conflict.reason
        let status = HTTPStatus.conflict.code
        let detail: String
        let field: String?
        let currentTicket: TicketJSON?
        let newerMessages: [MessageJSON]?
    }

    /// Runs `work`; a domain conflict that carries a ticket or messages becomes the 409
    /// response, every other error passes through to the API's mapping.
    static func catching(_ services: Services, _ work: () async throws -> HTTPResponse) async throws -> HTTPResponse {
        do {
            return try await work()
        } catch let error as DomainError where error.code == .conflict
            && (error.currentTicket != nil || !error.newerMessages.isEmpty) {
            var current: TicketJSON?
            if let ticket = error.currentTicket { current = try await TicketJSON.list([ticket], services).first }
            let newer = error.newerMessages.isEmpty ? nil : try await MessageJSON.list(error.newerMessages, services)
            var response = try JSONBody.response(Body(detail: error.message, field: error.field, currentTicket: current,
                                                      newerMessages: newer), status: .conflict)
            response.headers.set("Content-Type", ProblemDetails.contentType)
            return response
        }
    }
}
