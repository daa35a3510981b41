import Foundation

/// Attachment files under `<data>/attachments/`, content-addressed by SHA-256
/// (`ab/abcdef...`). Every file is written to `tmp/` first, flushed, then renamed into
/// place, so a stored key always names a complete file.
public final class AttachmentStore: Sendable {
    /// 10 MiB per file, as the product promises.
    public static let maxFileBytes: Int64 = 10 * 1024 * 1024

    public let directory: URL
    let maxBytes: Int64

    /// Uses (and creates) `directory`, normally `<data>/attachments`.
    public init(directory: URL, maxBytes: Int64 = AttachmentStore.maxFileBytes) throws {
        self.directory = directory
        self.maxBytes = maxBytes
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("tmp"), withIntermediateDirectories: true)
    }

    /// Starts a streamed upload: append the body in chunks, then `finish()`.
    public func beginUpload(fileName: String, contentType: String) throws -> AttachmentUpload {
        try AttachmentUpload(store: self, fileName: fileName, contentType: contentType)
    }

    /// Stores `bytes` as one attachment. Throws `.tooLarge` (nothing stored) above the limit,
    /// `.validation("fileName")` for an empty name.
    public func stage(bytes: Data, fileName: String, contentType: String) throws -> StagedAttachment {
        guard Int64(bytes.count) <= maxBytes else { throw Self.tooLarge(fileName) }
        let upload = try beginUpload(fileName: fileName, contentType: contentType)
        do {
            try upload.append(bytes)
            return try upload.finish()
        } catch {
            upload.cancel()
            throw error
        }
    }

    /// Moves the complete file at `path` (e.g. the Web layer's spooled upload) into the store.
    /// On success the file is gone from `path`; on failure (`.tooLarge`, I/O) it is left there.
    public func stage(fileAt path: URL, fileName: String, contentType: String) throws -> StagedAttachment {
        let name = try Self.validFileName(fileName)
        let size = (try FileManager.default.attributesOfItem(atPath: path.path)[.size] as? NSNumber)?.int64Value ?? 0
        guard size <= maxBytes else { throw Self.tooLarge(fileName) }
        let hasher = Crypto.SHA256Hasher()
        let handle = try FileHandle(forReadingFrom: path)
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        let digest = Encoding.hex(hasher.finish())
        try place(path, digest: digest)
        return StagedAttachment(fileName: name, contentType: Self.validContentType(contentType), size: size,
                                sha256: digest, storageKey: digest)
    }

    /// The file holding `storageKey`'s content (for downloads).
    public func fileURL(for storageKey: String) -> URL {
        Self.fileURL(for: storageKey, in: directory)
    }

    /// Where the store in `directory` keeps `storageKey`'s content: `<first two characters>/<key>`.
    public static func fileURL(for storageKey: String, in directory: URL) -> URL {
        directory.appendingPathComponent(String(storageKey.prefix(2))).appendingPathComponent(storageKey)
    }

    /// A fresh temporary file path inside the store (same filesystem, so rename is atomic).
    func temporaryURL() -> URL {
        directory.appendingPathComponent("tmp").appendingPathComponent(Encoding.hex(Crypto.randomBytes(12)))
    }

    /// Renames the complete temporary file at `temp` to its content address; when the content
    /// is already stored the temporary file is removed instead.
    func place(_ temp: URL, digest: String) throws {
        let target = fileURL(for: digest)
        let manager = FileManager.default
        try manager.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        if manager.fileExists(atPath: target.path) {
            try manager.removeItem(at: temp)
            return
        }
        if rename(temp.path, target.path) != 0 {
            // Different filesystem (EXDEV): copy to a temp file beside the target, then rename.
            let local = temporaryURL()
            try manager.copyItem(at: temp, to: local)
            guard rename(local.path, target.path) == 0 else {
                try? manager.removeItem(at: local)
                throw CocoaError(.fileWriteUnknown)
            }
            try manager.removeItem(at: temp)
        }
    }

    static func tooLarge(_ fileName: String) -> DomainError {
        DomainError(.tooLarge, "\(fileName) is larger than \(maxFileBytes / 1024 / 1024) MB.", field: "attachments")
    }

    static func validFileName(_ raw: String) throws -> String {
        let base = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let name = base.filter { !$0.isNewline && $0 != "\0" }.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 255 else { throw DomainError.validation("fileName", "Name the file (up to 255 characters).") }
        return name
    }

    static func validContentType(_ raw: String) -> String {
        let type = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = type.count <= 127 && type.contains("/") && type.allSatisfy { $0.isLetter || $0.isNumber || "/.+-_".contains($0) }
        return allowed ? type : "application/octet-stream"
    }
}

extension AttachmentStore {
    /// Stored files and temporary files last modified before `cutoff`: the candidates of the
    /// orphan sweep. Blocking file I/O: call from a thread of its own, never an event loop
    /// or Swift's task pool.
    public func files(modifiedBefore cutoff: Date) -> (stored: [String], temporary: [URL]) {
        let manager = FileManager.default
        func isOld(_ url: URL) -> Bool {
            ((try? manager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantFuture) < cutoff
        }
        var stored: [String] = [], temporary: [URL] = []
        for name in (try? manager.contentsOfDirectory(atPath: directory.path)) ?? [] {
            let folder = directory.appendingPathComponent(name)
            for file in (try? manager.contentsOfDirectory(atPath: folder.path)) ?? [] where isOld(folder.appendingPathComponent(file)) {
                if name == "tmp" { temporary.append(folder.appendingPathComponent(file)) } else { stored.append(file) }
            }
        }
        return (stored, temporary)
    }

    /// Deletes the stored file of `storageKey` (blocking I/O, like `files(modifiedBefore:)`).
    public func remove(storageKey: String) throws {
        try FileManager.default.removeItem(at: fileURL(for: storageKey))
    }
}

extension TicketService {
    /// The keys among `storageKeys` that some attachment row, an ingested email's original
    /// (`mail_messages.raw_storage_key`), or the files of an email kept for the workflows
    /// (`inbound_email_files`), still names.
    public func referencedStorageKeys(_ storageKeys: [String]) async throws -> Set<String> {
        try await database.read { db in
            try Set(storageKeys.filter { try AttachmentRecord.isReferenced($0, db) })
        }
    }
}

extension Database {
    /// Deletes events every consumer in `consumers` has passed that are older than `before`,
    /// in steps of `step` rows (each its own short transaction, so writers are never held up
    /// for long). Consumers that never stored a cursor hold nothing back. Returns how many
    /// were deleted.
    public func pruneEvents(consumers: [String], olderThan before: Date, step: Int = 5_000) async throws -> Int {
        let cursors = try await read { db in try EventLog.cursors(db) }
        let positions = consumers.compactMap { cursors[$0] }
        guard let through = positions.min() else { return 0 }
        var total = 0
        while true {
            let deleted = try await write { db in try EventLog.prune(through: through, olderThan: before, limit: step, db) }
            total += deleted
            if deleted < step { return total }
        }
    }
}
