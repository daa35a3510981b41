import Realtime

/// How large each route's request body may be, decided from the head before the body is
/// read (`Server.bodyPolicy`). Every body past 256 KiB is spooled to a temporary file as it
/// arrives (`ServerConfiguration.bodySpoolThresholdBytes`); only the message upload reads
/// it from there, the other routes get it back in memory once complete.
enum RequestBodyPolicy {
    /// Every route but uploads: 12 MiB, the cap the server always had (a JSON body is far
    /// smaller; the logo route checks its own 512 KB).
    static let defaultMaxBytes = 12 * 1024 * 1024
    /// The parser's ceiling: the largest body any route takes.
    static let ceilingBytes = MessageForm.maxRequestBytes

    /// The policy for `head`: a multipart `POST /api/tickets/{id}/messages` may carry
    /// `MessageForm.maxRequestBytes` and is read from the spooled file.
    static func policy(for head: HTTPRequestHead) -> HTTPBodyPolicy {
        if head.method == .post, isMessagesPath(head.target),
           head.headers["Content-Type"]?.lowercased().hasPrefix("multipart/form-data") == true {
            return HTTPBodyPolicy(maxBytes: MessageForm.maxRequestBytes, acceptsFile: true)
        }
        return HTTPBodyPolicy(maxBytes: defaultMaxBytes)
    }

    /// `/api/tickets/<one segment>/messages`, with or without a query.
    static func isMessagesPath(_ target: String) -> Bool {
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return segments.count == 5 && segments[0].isEmpty && segments[1] == "api" && segments[2] == "tickets"
            && !segments[3].isEmpty && segments[4] == "messages"
    }
}
