import Foundation

/// One streamed upload into the `AttachmentStore`: bytes go to a temporary file while being
/// hashed; the limit is checked on every chunk, before writing it. Use from one task at a time.
public final class AttachmentUpload {
    private let store: AttachmentStore
    private let fileName: String
    private let contentType: String
    private let temp: URL
    private let handle: FileHandle
    private let hasher = Crypto.SHA256Hasher()
    private var size: Int64 = 0
    private var closed = false

    init(store: AttachmentStore, fileName: String, contentType: String) throws {
        self.store = store
        self.fileName = try AttachmentStore.validFileName(fileName)
        self.contentType = AttachmentStore.validContentType(contentType)
        temp = store.temporaryURL()
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        handle = try FileHandle(forWritingTo: temp)
    }

    deinit { if !closed { cancel() } }

    /// Appends a chunk. Throws `.tooLarge` (and discards everything) when the total would pass the limit.
    public func append(_ chunk: Data) throws {
        precondition(!closed, "append after finish or cancel")
        guard size + Int64(chunk.count) <= store.maxBytes else {
            cancel()
            throw AttachmentStore.tooLarge(fileName)
        }
        try handle.write(contentsOf: chunk)
        chunk.withUnsafeBytes { hasher.update($0) }
        size += Int64(chunk.count)
    }

    /// Flushes the file to disk, moves it to its content address and returns the staged attachment.
    public func finish() throws -> StagedAttachment {
        precondition(!closed, "finish after finish or cancel")
        closed = true
        try handle.synchronize()
        try handle.close()
        let digest = Encoding.hex(hasher.finish())
        try store.place(temp, digest: digest)
        return StagedAttachment(fileName: fileName, contentType: contentType, size: size, sha256: digest, storageKey: digest)
    }

    /// Abandons the upload and deletes the temporary file.
    public func cancel() {
        guard !closed else { return }
        closed = true
        try? handle.close()
        try? FileManager.default.removeItem(at: temp)
    }
}
