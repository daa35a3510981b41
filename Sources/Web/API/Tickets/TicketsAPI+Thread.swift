import Foundation
import Realtime
import Tickets

extension TicketsAPI {
    static func registerThread(_ routes: APIRoutes) {
        let services = routes.services
        let tickets = services.tickets
        routes.api(.get, "/api/tickets/:id/messages", permission: .ticketView) { request in
            let messages = try await tickets.thread(of: TicketID(try request.id("id")), for: request.actor)
            return try JSONBody.response(ThreadJSON(messages: try await MessageJSON.list(messages, services)))
        }
        routes.api(.post, "/api/tickets/:id/messages", permission: .ticketUpdate) { request in
            let id = TicketID(try request.id("id"))
            let (body, files) = try MessageForm.read(request.http)
            try MessageForm.checkSizes(files, in: request.http.body)
            // Refuse unknown or hidden tickets before any file is stored.
            _ = try await tickets.ticket(id, for: request.actor)
            let staged = try files.map { file in
                try tickets.attachments.stage(bytes: Data(request.http.body[file.content]), fileName: file.fileName ?? "",
                                              contentType: file.contentType)
            }
            return try await ConflictProblem.catching(services) {
                let message = try await tickets.addMessage(to: id, body.draft(attachments: staged), by: request.actor).value
                return try JSONBody.response(try await MessageJSON.list([message], services)[0], status: .created)
            }
        }
        routes.api(.get, "/api/attachments/:id", permission: .ticketView) { request in
            let (attachment, file) = try await tickets.attachment(AttachmentID(try request.id("id")), for: request.actor)
            return AttachmentHeaders.response(attachment, file: file, inline: false)
        }
        routes.api(.get, "/api/attachments/:id/preview", permission: .ticketView) { request in
            let (attachment, file) = try await tickets.attachment(AttachmentID(try request.id("id")), for: request.actor)
            guard AttachmentHeaders.isRasterImage(attachment.contentType),
                  AttachmentHeaders.contentMatches(attachment.contentType, file: file) else {
                throw ProblemError(status: .unsupportedMediaType, detail: "Only PNG, JPEG, GIF and WebP images have a preview.")
            }
            return AttachmentHeaders.response(attachment, file: file, inline: true)
        }
    }
}

/// A new message from a JSON body or a `multipart/form-data` form (fields `kind`, `body`,
/// `afterMessageId`, `force`, and `attachments` file parts).
enum MessageForm {
    static let textFields: Set<String> = ["kind", "body", "afterMessageId", "force"]
    static let fileField = "attachments"

    /// The message fields and the file parts. 400 for a malformed body, 422 naming a bad field,
    /// 415 for a content type that is neither JSON nor multipart/form-data.
    static func read(_ http: HTTPRequest) throws -> (NewMessageBody, [MultipartPart]) {
        let contentType = http.headers["Content-Type"] ?? ""
        let boundary: String?
        do {
            boundary = try MultipartFormData.boundary(contentType: contentType)
        } catch let error as MultipartError {
            throw ProblemError.badRequest(error.detail)
        }
        guard let boundary else { return (try JSONBody.decode(NewMessageBody.self, from: http), []) }
        let parts: [MultipartPart]
        do {
            parts = try MultipartFormData.parse(http.body, boundary: boundary)
        } catch let error as MultipartError {
            throw ProblemError.badRequest(error.detail)
        }
        var fields: [String: String] = [:]
        var files: [MultipartPart] = []
        for part in parts {
            if part.name == fileField || part.name == fileField + "[]" {
                guard part.fileName != nil else { throw ProblemError.unprocessable("Send attachments as files.", field: fileField) }
                files.append(part)
            } else if textFields.contains(part.name), part.fileName == nil {
                guard fields[part.name] == nil else { throw ProblemError.unprocessable("Send this field once.", field: part.name) }
                guard let text = String(validating: http.body[part.content], as: UTF8.self) else {
                    throw ProblemError.unprocessable("This field is not UTF-8 text.", field: part.name)
                }
                fields[part.name] = text
            } else {
                throw ProblemError.unprocessable("Unknown form field.", field: part.name)
            }
        }
        return (try body(fields), files)
    }

    /// 413 naming `attachments` when any file passes the per-file limit, before anything is stored.
    static func checkSizes(_ files: [MultipartPart], in body: [UInt8]) throws {
        for file in files where Int64(file.content.count) > AttachmentStore.maxFileBytes {
            throw ProblemError(status: .contentTooLarge,
                               detail: "\(file.fileName ?? "A file") is larger than \(AttachmentStore.maxFileBytes / 1024 / 1024) MB.",
                               field: fileField)
        }
    }

    private static func body(_ fields: [String: String]) throws -> NewMessageBody {
        guard let rawKind = fields["kind"] else { throw ProblemError.unprocessable("This field is required.", field: "kind") }
        guard let kind = MessageKind(rawValue: rawKind) else { throw ProblemError.unprocessable("Use reply or note.", field: "kind") }
        var after: Int64?
        if let raw = fields["afterMessageId"], !raw.isEmpty {
            // 0 says "I saw no message yet": any reply that arrived since is then a collision.
            guard let value = Int64(raw), value >= 0 else {
                throw ProblemError.unprocessable("This field must be a message id, or 0.", field: "afterMessageId")
            }
            after = value
        }
        var force = false
        if let raw = fields["force"] {
            switch raw.lowercased() {
            case "true", "1", "on": force = true
            case "false", "0", "": force = false
            default: throw ProblemError.unprocessable("Use true or false.", field: "force")
            }
        }
        return NewMessageBody(kind: kind, body: fields["body"] ?? "", afterMessageId: after, force: force)
    }
}
