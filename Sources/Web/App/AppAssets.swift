import Realtime

/// The browser app's files, held in memory under one content version, so a browser may keep
/// every module, stylesheet and image for good and still never mix two versions of the app.
///
/// - `/assets/<version>/<path>`: the file, `Cache-Control: public, max-age=31536000,
///   immutable` (HTML excepted: always `no-cache`). A warm page load asks for none of them.
/// - the HTML documents (`index.html`, `portal.html`, `survey.html`, served `no-cache` at
///   `/`, app URLs, `/portal`, `/survey` and `/static/`) name their scripts, stylesheets and
///   icon under the current version: every attribute value written `"/static/` is served as
///   `"/assets/<version>/`. Modules import each other by relative URL and find the guide
///   through `import.meta.url`, so they inherit the version without naming it.
/// - `/static/<path>`: the same files unversioned, `no-cache` with ETags, as before, so a
///   page loaded before this scheme keeps working.
/// - another version than the current one: 404 `no-store`. Serving today's file under
///   yesterday's name would put a new module into a page running the old ones (exactly the
///   mixing this scheme exists to prevent), and a cached copy would outlive the next deploy.
///   The app reloads itself when one of its lazily loaded screens fails that way
///   (`static/app/app-version.js`).
struct AppAssets: Sendable {
    /// Where versioned files are served.
    static let prefix = "/assets/"
    /// HTML is never cached without asking (a deploy shows at the next load); everything
    /// else under a version never changes, for a year, the longest RFC 9111 caches honour.
    static let versionedPolicy = StaticFiles.CachePolicy(html: "no-cache", assets: "public, max-age=31536000, immutable")
    /// Unversioned URLs revalidate on every load: an upgrade shows at once, the ETag keeps it cheap.
    static let unversionedPolicy = StaticFiles.CachePolicy(assets: "no-cache")

    /// `StaticFiles.contentVersion` of the files as given (before the HTML is rewritten).
    let version: String
    let files: StaticFiles

    /// Versions `files` (path below `static/` -> bytes; the app's files as built or as read
    /// from `--static-dir`) and rewrites the HTML documents' `/static/` references to the
    /// versioned prefix. Compresses the compressible files once, here.
    init(files: [String: [UInt8]], modifiedSeconds: Int) {
        let version = StaticFiles.contentVersion(of: files)
        var served = files
        for (path, bytes) in files where path.hasSuffix(".html") {
            served[path] = Self.versioned(html: bytes, version: version)
        }
        self.version = version
        self.files = StaticFiles(files: served, modifiedSeconds: modifiedSeconds, cacheControl: Self.unversionedPolicy)
    }

    /// How many files are served.
    var fileCount: Int { files.memoryFileCount ?? 0 }

    /// `html` with every `"/static/` (an attribute value naming an app file) turned into
    /// `"/assets/<version>/`.
    static func versioned(html: [UInt8], version: String) -> [UInt8] {
        let from = Array("\"/static/".utf8)
        let to = Array("\"\(prefix)\(version)/".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(html.count + 32 * to.count)
        var index = 0
        while index < html.count {
            if html[index] == from[0], html.count - index >= from.count, html[index..<index + from.count].elementsEqual(from) {
                result.append(contentsOf: to)
                index += from.count
            } else {
                result.append(html[index])
                index += 1
            }
        }
        return result
    }

    /// An unversioned file (`index.html` for the shell, `/static/<path>`), `no-cache`; nil
    /// when there is no such file.
    func response(for request: HTTPRequest, path: String) -> HTTPResponse? {
        files.response(for: request, path: path)
    }

    /// The file at `path` under `version` (the two segments after `/assets/`), cacheable
    /// for good when `version` is the current one; nil when there is no such file. Another
    /// version is a 404 that no cache may keep (see the type's comment for why).
    func response(for request: HTTPRequest, version requested: String, path: String) -> HTTPResponse? {
        guard requested == version else {
            var headers = HTTPHeaders()
            headers.add("Cache-Control", "no-store")
            return ProblemDetails.response(status: .notFound, detail: "This version of the app is no longer served; reload the page.",
                                           headers: headers)
        }
        return files.response(for: request, path: path, cachePolicy: Self.versionedPolicy)
    }
}
