#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves files below a root folder (the app's `static/`) with validators, caching
/// headers and gzip, and never anything outside the root.
public struct StaticFiles: Sendable {
    /// `Cache-Control` values: HTML revalidates every time (ETag makes that cheap).
    public struct CachePolicy: Sendable {
        public var html: String
        public var assets: String

        /// HTML `no-cache` so new deployments show at once; other assets an hour.
        public init(html: String = "no-cache", assets: String = "public, max-age=3600") {
            self.html = html
            self.assets = assets
        }
    }

    /// Largest file compressed at start-up (bigger ones are sent as they are, or from a
    /// `.gz` sibling made ahead of time).
    public static let maxPrecompressedFileBytes = 1024 * 1024
    /// Memory for compressed copies: the whole `static/` folder of a small app fits.
    static let precompressedBudgetBytes = 16 * 1024 * 1024

    /// The resolved root with a trailing slash; nil when the root does not exist.
    let rootPrefix: String?
    let cachePolicy: CachePolicy
    /// Resolved path -> gzip of the file as it was at start-up, with its ETag then.
    let precompressed: [String: (etag: String, bytes: [UInt8])]
    /// Files served from memory instead of a folder (`init(files:)`), by relative path.
    let memory: [String: MemoryFile]?
    /// Last-Modified of every in-memory file.
    let memoryModifiedSeconds: Int

    /// Serves `root`; symlinks in it are resolved once here, and every compressible file
    /// is gzip-compressed here, at start-up, so no request ever waits for compression on
    /// an event loop. A file changed after start-up is served uncompressed until restart.
    public init(root: String, cacheControl: CachePolicy = CachePolicy()) {
        rootPrefix = FileLookup.realPath(root).map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        cachePolicy = cacheControl
        precompressed = rootPrefix.map(Self.compressAll) ?? [:]
        memory = nil
        memoryModifiedSeconds = 0
    }

    /// Gzip of every compressible, mid-sized file under `rootPrefix` without a `.gz`
    /// sibling, within `precompressedBudgetBytes`.
    private static func compressAll(under rootPrefix: String) -> [String: (etag: String, bytes: [UInt8])] {
        var result: [String: (etag: String, bytes: [UInt8])] = [:]
        var budget = precompressedBudgetBytes
        for relative in FileLookup.relativePaths(under: rootPrefix).sorted() {
            guard StaticPath.validate(relative) == relative, Gzip.isCompressible(contentType: MediaType.forPath(relative)),
                  let file = FileLookup.regularFile(rootPrefix + relative, inside: rootPrefix), result[file.path] == nil,
                  FileLookup.regularFile(rootPrefix + relative + ".gz", inside: rootPrefix) == nil,
                  file.size >= Gzip.minimumCompressibleBytes, file.size <= maxPrecompressedFileBytes,
                  let bytes = FileLookup.readAll(file.path, expectedSize: file.size)
            else { continue }
            let compressed = Gzip.compress(bytes)
            guard compressed.count < bytes.count, compressed.count <= budget else { continue }
            budget -= compressed.count
            result[file.path] = (file.etag, compressed)
        }
        return result
    }

    /// The response for the file at `path` (the part after the mount point, raw or
    /// percent-decoded; it is decoded once more and checked after decoding), or nil when
    /// there is no such regular file inside the root, so the caller can 404 or fall
    /// back to `index.html`. Refused as not found: `..` and `.`-prefixed segments,
    /// empty segments, backslashes, NUL, absolute paths and symlinks leading outside.
    /// Methods other than GET and HEAD get 405 (for HEAD, send the head only).
    /// `cachePolicy` replaces the one given at init for this answer (versioned URLs of the
    /// same files may be cached for good, unversioned ones not).
    public func response(for request: HTTPRequest, path: String, cachePolicy: CachePolicy? = nil) -> HTTPResponse? {
        guard request.method == .get || request.method == .head else {
            var headers = HTTPHeaders()
            headers.add("Allow", "GET, HEAD")
            return ProblemDetails.response(status: .methodNotAllowed, detail: "static files are read-only", headers: headers)
        }
        let cachePolicy = cachePolicy ?? self.cachePolicy
        if let memory { return memoryResponse(for: request, path: path, in: memory, cachePolicy: cachePolicy) }
        guard let rootPrefix, let relative = StaticPath.validate(path),
            let file = FileLookup.regularFile(rootPrefix + relative, inside: rootPrefix)
        else { return nil }
        let contentType = MediaType.forPath(relative)
        let compressible = Gzip.isCompressible(contentType: contentType)
        let etag = file.etag
        let lastModified = HTTPDate.format(epochSeconds: file.modifiedSeconds)
        var headers = HTTPHeaders()
        headers.add("ETag", etag)
        headers.add("Last-Modified", lastModified)
        headers.add("Cache-Control", contentType.hasPrefix("text/html") ? cachePolicy.html : cachePolicy.assets)
        if compressible { headers.add("Vary", "Accept-Encoding") }
        if Validators.notModified(request.headers, etag: etag, lastModified: lastModified) {
            // RFC 9110 section 15.4.5: a 304 repeats the validators and caching fields only.
            return HTTPResponse(status: .notModified, headers: headers, body: .empty)
        }
        headers.add("Content-Type", contentType)
        headers.add("X-Content-Type-Options", "nosniff")
        if compressible, Gzip.acceptsGzip(request.headers), let body = gzipBody(file, relative: relative, rootPrefix: rootPrefix) {
            headers.add("Content-Encoding", "gzip")
            return HTTPResponse(status: .ok, headers: headers, body: body)
        }
        return HTTPResponse(status: .ok, headers: headers, body: .file(path: file.path, offset: 0, length: file.size))
    }

    /// A precompressed `file.gz` sibling, else the copy compressed at start-up when the
    /// file is unchanged since; nil when neither applies (never compressed here).
    private func gzipBody(_ file: FileLookup.File, relative: String, rootPrefix: String) -> HTTPBody? {
        if let sibling = FileLookup.regularFile(rootPrefix + relative + ".gz", inside: rootPrefix) {
            return .file(path: sibling.path, offset: 0, length: sibling.size)
        }
        guard let entry = precompressed[file.path], entry.etag == file.etag else { return nil }
        return .bytes(entry.bytes)
    }
}

/// Checks a requested relative path before it reaches the file system.
enum StaticPath {
    /// The percent-decoded relative path, or nil when it could leave the root or name
    /// a hidden file.
    static func validate(_ path: String) -> String? {
        var path = Substring(path)
        if path.first == "/" { path = path.dropFirst() }  // the mount point's remainder
        guard !path.isEmpty else { return nil }
        // Decode first, then check, so encoded traversal (`%2e%2e%2f`) is seen.
        guard let decoded = path.utf8.contains(UInt8(ascii: "%")) ? path.removingPercentEncodingStrict() : String(path)
        else { return nil }
        guard !decoded.utf8.contains(HTTPByte.nul), !decoded.utf8.contains(UInt8(ascii: "\\")) else { return nil }
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: false) {
            // Empty (`//`, absolute), `.`, `..` and dotfiles (`.git`, `.env`) are refused.
            guard let first = segment.first, first != "." else { return nil }
        }
        return decoded
    }
}
