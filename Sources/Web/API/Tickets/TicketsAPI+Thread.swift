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
            // Parsing a spooled body and staging its files (copy, hash, fsync) are blocking file
            // work: they run on BlockingWork's threads, never on the task pool requests share.
            let form = try await BlockingWork.run { ParsedForm(try MessageForm.read(request.http)) }
            try MessageForm.checkSizes(form.files)
            // Refuse unknown or hidden tickets before any file is stored.
            _ = try await tickets.ticket(id, for: request.actor)
            let staged = try await BlockingWork.run {
                try form.files.map { file in try MessageForm.stage(file, from: form.source, into: tickets.attachments) }
            }
            let body = form.body
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

/// A parsed message form handed between blocking-work threads; used by one thread at a time.
private struct ParsedForm: @unchecked Sendable {
    let body: NewMessageBody
    let files: [MultipartPart]
    let source: any MultipartSource

    init(_ parsed: (NewMessageBody, [MultipartPart], any MultipartSource)) {
        (body, files, source) = parsed
    }
}

/// A new message from a JSON body or a `multipart/form-data` form (fields `kind`, `body`,
/// `afterMessageId`, `force`, and `attachments` file parts).
enum MessageForm {
    static let textFields: Set<String> = ["kind", "body", "afterMessageId", "force"]
    static let fileField = "attachments"
    /// The largest request this route takes: five full-size attachments plus the text
    /// fields (400 KiB at most) and multipart framing. Such bodies go to a temporary file as
    /// they arrive and are read from it in chunks, never held in memory.
    static let maxRequestBytes = 5 * Int(AttachmentStore.maxFileBytes) + 2 * 1024 * 1024
    /// Bytes copied from the spooled body into the attachment store per step.
    static let stageChunkBytes = 64 * 1024

    /// The message fields, the file parts and where their bytes are (memory, or the spooled
    /// body file). 400 for a malformed body, 422 naming a bad field, 415 for a content type
    /// that is neither JSON nor multipart/form-data.
    static func read(_ http: HTTPRequest) throws -> (NewMessageBody, [MultipartPart], any MultipartSource) {
        let source: any MultipartSource = http.bodyFile.map { FileBody(file: $0) } ?? MemoryBody(bytes: http.body)
        let contentType = http.headers["Content-Type"] ?? ""
        let boundary: String?
        do {
            boundary = try MultipartFormData.boundary(contentType: contentType)
        } catch let error as MultipartError {
            throw ProblemError.badRequest(error.detail)
        }
        guard let boundary else {
            var http = http
            // The body policy keeps JSON in memory; this covers a mislabelled upload.
            if let file = http.bodyFile { http.body = try file.readAll() }
            return (try JSONBody.decode(NewMessageBody.self, from: http), [], source)
        }
        let parts: [MultipartPart]
        do {
            parts = try MultipartFormData.parse(source, boundary: boundary)
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
                guard let text = String(validating: try source.bytes(part.content), as: UTF8.self) else {
                    throw ProblemError.unprocessable("This field is not UTF-8 text.", field: part.name)
                }
                fields[part.name] = text
            } else {
                throw ProblemError.unprocessable("Unknown form field.", field: part.name)
            }
        }
        return (try body(fields), files, source)
    }

    /// Stores one file part, copied from `source` in chunks (the spooled body is never read
    /// whole). Throws the store's errors (too large, bad file name); nothing is kept then.
    static func stage(_ file: MultipartPart, from source: any MultipartSource, into store: AttachmentStore) throws -> StagedAttachment {
        let upload = try store.beginUpload(fileName: file.fileName ?? "", contentType: file.contentType)
        do {
            var offset = file.content.lowerBound
            while offset < file.content.upperBound {
                let end = min(offset + stageChunkBytes, file.content.upperBound)
                try upload.append(Data(try source.bytes(offset..<end)))
                offset = end
            }
            return try upload.finish()
        } catch {
            upload.cancel()
            throw error
        }
    }

    /// 413 naming `attachments` when any file passes the per-file limit, before anything is stored.
    static func checkSizes(_ files: [MultipartPart]) throws {
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
