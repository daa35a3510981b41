/// How a route takes its request body, decided from the request head before any body
/// byte is read (`Server.bodyPolicy`).
public struct HTTPBodyPolicy: Sendable, Equatable {
    /// The largest body accepted (413 beyond it, as soon as the length is known). At most
    /// `ServerConfiguration.http.maxBodyBytes`, which the parser enforces for every route.
    public var maxBytes: Int
    /// The handler reads a large body from `HTTPRequest.bodyFile`. When false, a body that
    /// was spooled to disk while it arrived is read back into `HTTPRequest.body` once complete.
    public var acceptsFile: Bool

    public init(maxBytes: Int, acceptsFile: Bool = false) {
        self.maxBytes = maxBytes
        self.acceptsFile = acceptsFile
    }
}
