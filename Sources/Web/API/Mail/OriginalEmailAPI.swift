import Foundation
import Realtime
import Tickets

/// `GET /api/emails/{id}/original`: an ingested email's raw message as received, for agents
/// who may see its ticket. Always a download (`message/rfc822`), never rendered.
enum OriginalEmailAPI {
    static func register(_ routes: APIRoutes) {
        let tickets = routes.services.tickets
        routes.api(.get, "/api/emails/:id/original", permission: .ticketView) { request in
            let id = try request.id("id")
            let (original, file) = try await tickets.originalEmail(id, for: request.actor)
            var headers = HTTPHeaders()
            headers.add("Content-Type", "message/rfc822")
            headers.add("Content-Disposition", HeaderParameters.contentDisposition("attachment", fileName: "email-\(id).eml"))
            headers.add("X-Content-Type-Options", "nosniff")
            headers.add("Content-Security-Policy", "sandbox; default-src 'none'")
            headers.add("Cache-Control", "private, max-age=3600")
            headers.add("ETag", "\"\(original.storageKey)\"")
            return HTTPResponse(status: .ok, headers: headers, body: .file(path: file.path, offset: 0, length: Int(original.size)))
        }
    }
}
