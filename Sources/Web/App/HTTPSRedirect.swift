import Realtime

/// The plain-HTTP listener of `serve --redirect-http PORT`: every request is answered with
/// a permanent redirect to the same path on the HTTPS port, so a browser that types the
/// bare host name lands on the TLS site (where HSTS then keeps it).
enum HTTPSRedirect {
    /// A handler redirecting to `https://<Host without port>[:httpsPort]<target>` with 308
    /// (the method and body are kept). A missing or malformed Host is a 400: the redirect
    /// target is built from it, so it must be a plain host name or address.
    static func handler(httpsPort: Int) -> HTTPHandler {
        { request, completion in
            guard let host = request.headers["Host"].flatMap(hostName) else {
                completion(.success(ProblemDetails.response(status: .badRequest, detail: "A valid Host header is required.")))
                return
            }
            let port = httpsPort == 443 ? "" : ":\(httpsPort)"
            var headers = HTTPHeaders()
            // Only origin-form targets are kept; anything else goes to the site's root.
            let target = request.head.target.hasPrefix("/") ? request.head.target : "/"
            headers.set("Location", "https://\(host)\(port)\(target)")
            completion(.success(HTTPResponse(status: .permanentRedirect, headers: headers)))
        }
    }

    /// The host part of a Host header value (`example.com:80` -> `example.com`,
    /// `[::1]:80` -> `[::1]`); nil when it has characters a host name or address cannot.
    static func hostName(_ value: String) -> String? {
        var host = Substring(value)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            host = host[...close]
        } else if let colon = host.firstIndex(of: ":") {
            host = host[..<colon]
        }
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || ".-[]:".contains(c)) }
        guard !host.isEmpty, host.count <= 253, host.allSatisfy(allowed) else { return nil }
        return String(host)
    }
}
