/// Content types by file extension for static files.
enum MediaType {
    /// What unknown extensions are served as (with nosniff, browsers will not run them).
    static let fallback = "application/octet-stream"

    static let byExtension: [String: String] = [
        "html": "text/html; charset=utf-8",
        "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "mjs": "text/javascript; charset=utf-8",
        "json": "application/json",
        "map": "application/json",
        "webmanifest": "application/manifest+json",
        "svg": "image/svg+xml",
        "png": "image/png",
        "jpg": "image/jpeg",
        "jpeg": "image/jpeg",
        "gif": "image/gif",
        "webp": "image/webp",
        "ico": "image/x-icon",
        "woff": "font/woff",
        "woff2": "font/woff2",
        "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "pdf": "application/pdf",
        "xml": "application/xml",
        "wasm": "application/wasm",
    ]

    /// The content type for `path` by its extension (case-insensitive).
    static func forPath(_ path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return fallback }
        return byExtension[path[path.index(after: dot)...].lowercased()] ?? fallback
    }
}

/// Conditional request evaluation (RFC 9110 section 13).
enum Validators {
    /// True when the client's copy is current: `If-None-Match` by weak comparison
    /// (section 13.1.2), or else `If-Modified-Since` equal to our `Last-Modified`.
    static func notModified(_ headers: HTTPHeaders, etag: String, lastModified: String) -> Bool {
        let candidates = headers.values("If-None-Match")
        if !candidates.isEmpty {
            let ours = opaque(etag)
            for value in candidates {
                for tag in value.split(separator: ",") {
                    let tag = tag.trimmingASCIISpaces()
                    if tag == "*" || opaque(tag) == ours { return true }
                }
            }
            return false  // section 13.1.3: If-Modified-Since is ignored when If-None-Match is sent.
        }
        return headers["If-Modified-Since"] == lastModified
    }

    /// The opaque tag without its weakness prefix.
    private static func opaque<S: StringProtocol>(_ tag: S) -> Substring {
        let tag = Substring(tag)
        return tag.hasPrefix("W/") ? tag.dropFirst(2) : tag
    }
}
