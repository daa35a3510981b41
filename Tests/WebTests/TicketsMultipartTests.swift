import Testing
@testable import Web
import Realtime

@Suite struct TicketsMultipartTests {
    private func parse(_ text: String, boundary: String = "B") throws -> [MultipartPart] {
        try MultipartFormData.parse(Array(text.utf8), boundary: boundary)
    }

    @Test func fieldsAndFilesAreSplitAtTheDelimiter() throws {
        let body = "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nreply\r\n"
            + "--B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a \\\"b\\\".txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\nline1\r\n-B\r\n--B--\r\nepilogue"
        let parts = try parse(body)
        #expect(parts.map(\.name) == ["kind", "attachments"])
        #expect(parts[1].fileName == "a \"b\".txt")
        let bytes = Array(body.utf8)
        #expect(String(decoding: bytes[parts[0].content], as: UTF8.self) == "reply")
        #expect(String(decoding: bytes[parts[1].content], as: UTF8.self) == "line1\r\n-B")
    }

    @Test func extendedFileNameWinsOverThePlainOne() throws {
        let parts = try parse("--B\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x\"; filename*=UTF-8''%E2%82%AC.txt\r\n\r\n\r\n--B--")
        #expect(parts[0].fileName == "€.txt")
        #expect(parts[0].content.isEmpty)
        #expect(parts[0].contentType == "application/octet-stream")
    }

    @Test func malformedBodiesAreRefused() {
        #expect(throws: MultipartError.missingFirstBoundary) { try parse("nothing here") }
        #expect(throws: MultipartError.missingCloseDelimiter) { try parse("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx") }
        #expect(throws: MultipartError.missingContentDisposition) { try parse("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--") }
        #expect(throws: MultipartError.missingName) { try parse("--B\r\nContent-Disposition: form-data\r\n\r\nx\r\n--B--") }
        #expect(throws: MultipartError.malformedPartHeaders) { try parse("--B\r\nno colon\r\n\r\nx\r\n--B--") }
        #expect(throws: MultipartError.missingCloseDelimiter) { try parse("--Bgarbage") }
    }

    @Test func limitsAreCheckedBeforeBuffering() {
        let many = String(repeating: "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n", count: 40) + "--B--"
        #expect(throws: MultipartError.tooManyParts(limit: 32)) { try parse(many) }
        let headers = "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n" + String(repeating: "X: y\r\n", count: 2000)
        #expect(throws: MultipartError.partHeadersTooLarge(limit: 8 * 1024)) { try parse(headers) }
        var limits = MultipartLimits()
        limits.maxFieldBytes = 3
        #expect(throws: MultipartError.fieldTooLarge(name: "a", limit: 3)) {
            try MultipartFormData.parse(Array("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxxxx\r\n--B--".utf8),
                                        boundary: "B", limits: limits)
        }
    }

    @Test func boundaryComesFromTheContentType() throws {
        #expect(try MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\"a b\"") == "a b")
        #expect(try MultipartFormData.boundary(contentType: "application/json") == nil)
        #expect(throws: MultipartError.missingBoundary) { try MultipartFormData.boundary(contentType: "multipart/form-data") }
        #expect(throws: MultipartError.invalidBoundary) {
            try MultipartFormData.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "b", count: 71))
        }
    }

    @Test func downloadsNameFilesWithAnASCIIFallback() {
        #expect(HeaderParameters.contentDisposition("attachment", fileName: "résumé \"1\".pdf")
            == "attachment; filename=\"r_sum_ _1_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.pdf")
    }

    @Test func activeContentIsNeverServedAsItself() {
        #expect(AttachmentHeaders.downloadType("text/html; charset=utf-8") == "application/octet-stream")
        #expect(AttachmentHeaders.downloadType("image/svg+xml") == "application/octet-stream")
        #expect(AttachmentHeaders.downloadType("image/png") == "image/png")
        #expect(AttachmentHeaders.isRasterImage("image/webp") && !AttachmentHeaders.isRasterImage("image/svg+xml"))
    }
}

@Suite struct TicketsMultipartFileTests {
    @Test func aSpooledBodyParsesLikeTheSameBytesInMemoryAcrossSearchWindows() throws {
        // Contents sized so delimiters fall on and across the 64 KiB window edges.
        var body = Array("--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nreply\r\n".utf8)
        for size in [FileBody.windowBytes - 130, FileBody.windowBytes, 3 * FileBody.windowBytes + 7] {
            body += Array("--B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"f\(size)\"\r\n\r\n".utf8)
            body += (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }
            body += Array("\r\n".utf8)
        }
        body += Array("--B--\r\n".utf8)
        let file = try HTTPBodyFile(contents: body)
        let fromFile = try MultipartFormData.parse(FileBody(file: file), boundary: "B")
        let fromMemory = try MultipartFormData.parse(body, boundary: "B")
        #expect(fromFile == fromMemory)
        #expect(fromFile.map(\.content.count) == [5, FileBody.windowBytes - 130, FileBody.windowBytes, 3 * FileBody.windowBytes + 7])
        #expect(try FileBody(file: file).bytes(fromFile[3].content) == Array(body[fromMemory[3].content]))
    }

    @Test func aTruncatedSpooledBodyIsRefused() throws {
        let file = try HTTPBodyFile(contents: Array("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nxxxx".utf8))
        #expect(throws: MultipartError.missingCloseDelimiter) { try MultipartFormData.parse(FileBody(file: file), boundary: "B") }
    }
}
