/// In-memory serving: the browser app built into the binary (`StaticFiles(files:)`).
extension StaticFiles {
    /// A file held in memory, with its gzip copy when that is smaller.
    struct MemoryFile: Sendable {
        let bytes: [UInt8]
        let gzip: [UInt8]?
        let etag: String
    }

    /// Serves `files` (path below the mount point -> bytes) from memory, with the same
    /// headers, validators and gzip as files on disk. Compressible files are compressed
    /// here, once. `modifiedSeconds` is every file's Last-Modified (the build's files all
    /// change together); ETags are a hash of each file's bytes.
    public init(files: [String: [UInt8]], modifiedSeconds: Int, cacheControl: CachePolicy = CachePolicy()) {
        rootPrefix = nil
        cachePolicy = cacheControl
        precompressed = [:]
        memoryModifiedSeconds = modifiedSeconds
        memory = files.reduce(into: [:]) { result, entry in
            let compressible = Gzip.isCompressible(contentType: MediaType.forPath(entry.key))
                && entry.value.count >= Gzip.minimumCompressibleBytes
            let compressed = compressible ? Gzip.compress(entry.value) : nil
            result[entry.key] = MemoryFile(bytes: entry.value, gzip: compressed.flatMap { $0.count < entry.value.count ? $0 : nil },
                                           etag: Self.contentETag(entry.value))
        }
    }

    /// How many files are served from memory (nil when serving a folder).
    public var memoryFileCount: Int? { memory?.count }

    /// A strong validator from the bytes (FNV-1a 64 and the length).
    static func contentETag(_ bytes: [UInt8]) -> String {
        "\"\(String(fnv1a(bytes), radix: 16))-\(String(bytes.count, radix: 16))\""
    }

    /// One name for a whole set of files: 16 hex digits of FNV-1a 64 over every file's path
    /// and bytes (each length-prefixed, in path order), so any added, removed, renamed or
    /// changed file gives another version, and the same files always give the same one
    /// (every process serving one build agrees). Not a defence against a chosen collision:
    /// the files are the operator's own, and a version only names them.
    public static func contentVersion(of files: [String: [UInt8]]) -> String {
        var hash = fnvOffsetBasis
        for path in files.keys.sorted() {
            let bytes = files[path] ?? []
            for part in [Array(path.utf8), bytes] {
                hash = fnv1a(withUnsafeBytes(of: UInt64(part.count).littleEndian, Array.init), from: hash)
                hash = fnv1a(part, from: hash)
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static let fnvOffsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325

    /// FNV-1a 64 of `bytes`, continuing from `hash`.
    private static func fnv1a(_ bytes: [UInt8], from hash: UInt64 = fnvOffsetBasis) -> UInt64 {
        var hash = hash
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    /// The response for `path` among the in-memory files (see `response(for:path:)`).
    func memoryResponse(for request: HTTPRequest, path: String, in memory: [String: MemoryFile],
                        cachePolicy: CachePolicy) -> HTTPResponse? {
        guard let relative = StaticPath.validate(path), let file = memory[relative] else { return nil }
        let contentType = MediaType.forPath(relative)
        let lastModified = HTTPDate.format(epochSeconds: memoryModifiedSeconds)
        var headers = HTTPHeaders()
        headers.add("ETag", file.etag)
        headers.add("Last-Modified", lastModified)
        headers.add("Cache-Control", contentType.hasPrefix("text/html") ? cachePolicy.html : cachePolicy.assets)
        if file.gzip != nil { headers.add("Vary", "Accept-Encoding") }
        if Validators.notModified(request.headers, etag: file.etag, lastModified: lastModified) {
            return HTTPResponse(status: .notModified, headers: headers, body: .empty)
        }
        headers.add("Content-Type", contentType)
        headers.add("X-Content-Type-Options", "nosniff")
        if let gzip = file.gzip, Gzip.acceptsGzip(request.headers) {
            headers.add("Content-Encoding", "gzip")
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(gzip))
        }
        return HTTPResponse(status: .ok, headers: headers, body: .bytes(file.bytes))
    }
}
