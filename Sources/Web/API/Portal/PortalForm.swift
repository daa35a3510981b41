import Foundation
import Realtime
import Tickets

/// The portal's reply form: `multipart/form-data` with a `body` field, `attachments` file
/// parts and the spam-protection fields (`PublicFormGuard`). Anything else is refused: this
/// is public input.
enum PortalForm {
    static let textFields: Set<String> = Set(["body"]).union(PublicFormGuard.fields)
    /// Bytes a text field may hold before it is decoded (the reply's bound, 4 bytes a character).
    static let maxFieldBytes = 4 * PortalService.maxReplyCharacters

    /// The text fields, the file parts and their bytes (the body in memory: the portal takes
    /// the default body policy, 12 MiB at most). 415 unless multipart/form-data, 400 for a
    /// malformed body, 422 naming a bad, repeated or unknown field.
    static func read(_ http: HTTPRequest) throws -> ([String: String], [MultipartPart], MemoryBody) {
        var http = http
        // Bodies past the spool threshold come back as a file; the portal reads them whole (12 MiB at most).
        if let file = http.bodyFile { http.body = try file.readAll() }
        let source = MemoryBody(bytes: http.body)
        let boundary: String?
        do {
            boundary = try MultipartFormData.boundary(contentType: http.headers["Content-Type"] ?? "")
        } catch let error as MultipartError {
            throw ProblemError.badRequest(error.detail)
        }
        guard let boundary else {
            throw ProblemError(status: .unsupportedMediaType, detail: "Send the reply as multipart/form-data.")
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
            if part.name == MessageForm.fileField || part.name == MessageForm.fileField + "[]" {
                guard part.fileName != nil else { throw ProblemError.unprocessable("Send attachments as files.", field: MessageForm.fileField) }
                if part.content.isEmpty, part.fileName == "" { continue }  // an empty file input
                files.append(part)
            } else if textFields.contains(part.name), part.fileName == nil {
                guard fields[part.name] == nil else { throw ProblemError.unprocessable("Send this field once.", field: part.name) }
                guard part.content.count <= maxFieldBytes else { throw ProblemError.unprocessable("This field is too long.", field: part.name) }
                guard let text = String(validating: try source.bytes(part.content), as: UTF8.self), !text.contains("\0") else {
                    throw ProblemError.unprocessable("This field is not UTF-8 text.", field: part.name)
                }
                fields[part.name] = text
            } else {
                throw ProblemError.unprocessable("Unknown form field.", field: part.name)
            }
        }
        return (fields, files, source)
    }
}
