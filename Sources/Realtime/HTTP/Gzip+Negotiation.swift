extension Gzip {
    /// True when `Accept-Encoding` gives gzip (or `*` when gzip is not named) a
    /// non-zero q-value (RFC 9110 section 12.5.3). No field means no compression.
    public static func acceptsGzip(_ headers: HTTPHeaders) -> Bool {
        var gzipQuality: Double?
        var anyQuality: Double?
        for value in headers.values("Accept-Encoding") {
            for element in value.split(separator: ",") {
                let parts = element.split(separator: ";")
                guard let coding = parts.first?.trimmingASCIISpaces(), !coding.isEmpty else { continue }
                let quality = qualityValue(parts.dropFirst())
                if coding.equalsIgnoringASCIICase("gzip") || coding.equalsIgnoringASCIICase("x-gzip") {
                    gzipQuality = max(gzipQuality ?? 0, quality)
                } else if coding == "*" {
                    anyQuality = max(anyQuality ?? 0, quality)
                }
            }
        }
        return (gzipQuality ?? anyQuality ?? 0) > 0
    }

    /// The `q` parameter among `parameters` (RFC 9110 section 12.4.2); 1 when absent, 0 when unreadable.
    private static func qualityValue(_ parameters: ArraySlice<Substring>) -> Double {
        for parameter in parameters {
            let pair = parameter.trimmingASCIISpaces().split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingASCIISpaces().equalsIgnoringASCIICase("q") else { continue }
            guard let q = Double(pair[1].trimmingASCIISpaces()), q >= 0, q <= 1 else { return 0 }
            return q
        }
        return 1
    }

    /// True for text-like media types that compress well: `text/*`, JSON and `+json`
    /// (problem+json included), JavaScript, XML and `+xml` (SVG included). Not images, archives or fonts.
    public static func isCompressible(contentType: String) -> Bool {
        let mediaType = (contentType.split(separator: ";").first ?? "").trimmingASCIISpaces().lowercased()
        if mediaType.hasPrefix("text/") { return true }
        if mediaType.hasSuffix("+json") || mediaType.hasSuffix("+xml") { return true }
        switch mediaType {
        case "application/json", "application/javascript", "application/xml", "application/x-javascript",
            "application/wasm", "application/x-ndjson":
            return true
        default:
            return false
        }
    }

    /// `response` gzip-compressed for `request` when worth it: an in-memory body of at
    /// least `minimumCompressibleBytes`, a compressible type, no existing Content-Encoding
    /// and a client that accepts gzip. Adds `Vary: Accept-Encoding` for compressible types.
    public static func compressIfWorthwhile(_ response: HTTPResponse, for request: HTTPRequestHead, level: Int32 = 6) -> HTTPResponse {
        // Below the minimum the body is never compressed, so it does not vary either.
        guard case .bytes(let bytes) = response.body, bytes.count >= minimumCompressibleBytes,
            let contentType = response.headers["Content-Type"], isCompressible(contentType: contentType),
            response.headers["Content-Encoding"] == nil
        else { return response }
        var response = response
        if !response.headers.containsToken("Accept-Encoding", in: "Vary") { response.headers.add("Vary", "Accept-Encoding") }
        guard acceptsGzip(request.headers) else { return response }
        response.headers.add("Content-Encoding", "gzip")
        response.body = .bytes(compress(bytes, level: level))
        return response
    }
}

/// Compresses in-memory text-like responses for clients that accept gzip (see
/// `Gzip.compressIfWorthwhile`). Runs on the completing thread: for sync routes that
/// is the event loop, which is fine for API-sized bodies.
public struct CompressionMiddleware: HTTPMiddleware {
    private let level: Int32

    /// `level` 1...9; 6 is zlib's balance of speed and size.
    public init(level: Int32 = 6) {
        self.level = level
    }

    public func handle(_ request: HTTPRequest, next: @escaping HTTPHandler, completion: @escaping HTTPCompletion) {
        let level = self.level
        next(request) { result in
            completion(result.map { Gzip.compressIfWorthwhile($0, for: request.head, level: level) })
        }
    }
}
