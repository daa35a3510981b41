import Foundation

/// An IMAP4rev1 client (RFC 3501, with RFC 9051's behaviour where they agree) for taking mail
/// out of one folder: implicit TLS or STARTTLS, AUTHENTICATE PLAIN or LOGIN, SELECT with
/// UIDVALIDITY, UID SEARCH and FETCH, flagging \Seen or moving (RFC 6851, or COPY + EXPUNGE),
/// and IDLE (RFC 2177). Blocking: run it on a thread of its own, never on an event loop.
public final class IMAPClient {
    /// The longest response line besides literals (a SEARCH answer listing ~100,000 UIDs).
    static let maxLineBytes = 1024 * 1024

    private let endpoint: MailEndpoint
    /// The largest literal (message) we read; larger ones are refused before being fetched.
    public let maxMessageBytes: Int
    private var connection: MailConnection?
    private var tagCounter = 0
    /// Capabilities in upper case ("IDLE", "MOVE", "AUTH=PLAIN", ...).
    public private(set) var capabilities: Set<String> = []

    public init(endpoint: MailEndpoint, maxMessageBytes: Int = MailLimits().maxMessageBytes) {
        self.endpoint = endpoint
        self.maxMessageBytes = maxMessageBytes
    }

    deinit { connection?.close() }

    /// Connects, reads the greeting and the capabilities, and upgrades with STARTTLS when
    /// configured (failing when the server does not offer it). Returns the TLS version or nil.
    @discardableResult
    public func connect() throws -> String? {
        let connection = try MailConnection(endpoint: endpoint)
        self.connection = connection
        let greeting = try IMAPResponseParser.parse(try readResponse())
        guard case .status(let status, let code, _) = greeting, status == .ok || status == .preauth else {
            throw MailConnectionError(.rejected, "the server refused the session: \(greeting)")
        }
        try updateCapabilities(code: code)
        if endpoint.security == .startTLS {
            guard capabilities.contains("STARTTLS") else { throw MailConnectionError(.tls, "\(endpoint.host) does not offer STARTTLS") }
            _ = try run("STARTTLS")
            try connection.startTLS()
            capabilities = []  // RFC 3501 6.2.1: discard what was learnt before TLS
            try updateCapabilities(code: nil)
        }
        return connection.tlsVersion
    }

    /// Logs in with AUTHENTICATE PLAIN (RFC 4616) when offered, else LOGIN. Refuses to send
    /// credentials over an unencrypted connection. Throws `.authentication` with the server's words.
    public func login(username: String, password: String) throws {
        guard connection?.isEncrypted == true else {
            throw MailConnectionError(.authentication, "refusing to send credentials over an unencrypted connection")
        }
        do {
            if capabilities.contains("AUTH=PLAIN") {
                let token = Base64.encodeLine(Array("\u{0}\(username)\u{0}\(password)".utf8))
                if capabilities.contains("SASL-IR") {
                    _ = try run("AUTHENTICATE PLAIN \(token)")
                } else {
                    _ = try run("AUTHENTICATE PLAIN", continuation: Array((token + "\r\n").utf8))
                }
            } else if !capabilities.contains("LOGINDISABLED") {
                _ = try run([.text("LOGIN "), .string(username), .text(" "), .string(password)])
            } else {
                throw MailConnectionError(.authentication, "\(endpoint.host) offers neither AUTH=PLAIN nor LOGIN")
            }
        } catch let error as MailConnectionError where error.kind == .rejected {
            throw MailConnectionError(.authentication, error.message)
        }
        // Servers may list new capabilities after login (RFC 3501 6.2.3); ask again.
        capabilities = []
        try updateCapabilities(code: nil)
    }

    /// Selects `folder` (read-write) and returns its UIDVALIDITY, UIDNEXT and message count.
    public func select(_ folder: String) throws -> IMAPFolderStatus {
        let responses: [IMAPResponse]
        do {
            responses = try run([.text("SELECT "), .mailbox(folder)])
        } catch let error as MailConnectionError where error.kind == .rejected {
            throw MailConnectionError(.mailbox, "cannot open folder \"\(folder)\": \(error.message)")
        }
        var status = IMAPFolderStatus(uidValidity: 0, uidNext: nil, exists: 0)
        for response in responses {
            switch response {
            case .status(.ok, let code?, _):
                let parts = code.split(separator: " ")
                if parts.first?.uppercased() == "UIDVALIDITY", parts.count > 1 { status.uidValidity = UInt32(parts[1]) ?? 0 }
                if parts.first?.uppercased() == "UIDNEXT", parts.count > 1 { status.uidNext = UInt32(parts[1]) }
            case .data(let n?, "EXISTS", _):
                status.exists = Int(n)
            default: break
            }
        }
        guard status.uidValidity != 0 else {
            throw MailConnectionError(.mailbox, "folder \"\(folder)\" has no UIDVALIDITY, so messages cannot be tracked")
        }
        return status
    }

    /// UIDs in the selected folder greater than `uid`, ascending. ("n:*" always matches the
    /// highest UID even when it is below n, RFC 3501 6.4.8, hence the filter.)
    public func uids(after uid: UInt32) throws -> [UInt32] {
        try search("UID \(uid == UInt32.max ? uid : uid + 1):*").filter { $0 > uid }
    }

    /// UIDs of messages without \Seen (used after UIDVALIDITY changed, when old UIDs mean nothing).
    public func unseenUIDs() throws -> [UInt32] { try search("UNSEEN") }

    private func search(_ criteria: String) throws -> [UInt32] {
        var uids: [UInt32] = []
        for case .data(_, "SEARCH", let values) in try run("UID SEARCH \(criteria)") {
            uids += values.compactMap { $0.atom.flatMap { UInt32($0) } }
        }
        return uids.sorted()
    }

    /// The size in bytes of each message in `uids` (those still present).
    public func sizes(of uids: [UInt32]) throws -> [UInt32: Int] {
        guard !uids.isEmpty else { return [:] }
        var sizes: [UInt32: Int] = [:]
        for response in try run("UID FETCH \(Self.uidSet(uids)) (UID RFC822.SIZE)") {
            let items = Self.fetchItems(response)
            if let uid = items["UID"]?.atom.flatMap({ UInt32($0) }), let size = items["RFC822.SIZE"]?.atom.flatMap({ Int($0) }) {
                sizes[uid] = size
            }
        }
        return sizes
    }

    /// The raw message `uid` without setting \Seen (BODY.PEEK), or nil when it no longer
    /// exists. Throws `.tooLarge` before reading a message over `maxMessageBytes`.
    public func fetch(uid: UInt32) throws -> [UInt8]? {
        for response in try run("UID FETCH \(uid) (UID BODY.PEEK[])") {
            let items = Self.fetchItems(response)
            guard items["UID"]?.atom == String(uid) else { continue }
            if let body = items["BODY[]"]?.bytes { return body }
        }
        return nil
    }

    /// Adds \Seen to `uid`.
    public func markSeen(uid: UInt32) throws {
        _ = try run("UID STORE \(uid) +FLAGS.SILENT (\\Seen)")
    }

    /// Moves `uid` to `folder`: UID MOVE where offered, else COPY, \Deleted and UID EXPUNGE
    /// (RFC 4315), or plain EXPUNGE when UIDPLUS is missing too (which also removes other
    /// messages already flagged \Deleted in this folder).
    public func move(uid: UInt32, to folder: String) throws {
        do {
            if capabilities.contains("MOVE") {
                _ = try run([.text("UID MOVE \(uid) "), .mailbox(folder)])
                return
            }
            _ = try run([.text("UID COPY \(uid) "), .mailbox(folder)])
        } catch let error as MailConnectionError where error.kind == .rejected {
            throw MailConnectionError(.mailbox, "cannot move to folder \"\(folder)\": \(error.message)")
        }
        _ = try run("UID STORE \(uid) +FLAGS.SILENT (\\Deleted)")
        _ = try run(capabilities.contains("UIDPLUS") ? "UID EXPUNGE \(uid)" : "EXPUNGE")
    }

    /// Whether the server offers IDLE (RFC 2177).
    public var supportsIdle: Bool { capabilities.contains("IDLE") }

    /// Waits in IDLE until the folder gets a new message, `seconds` pass, or `shouldStop`
    /// returns true (checked every `checkMilliseconds`). Returns true when new mail arrived.
    public func idle(seconds: Double, checkMilliseconds: Int32 = 500, shouldStop: () -> Bool) throws -> Bool {
        guard let connection else { throw MailConnectionError(.closed, "not connected") }
        let tag = nextTag()
        try connection.write("\(tag) IDLE\r\n")
        var changed = false
        waiting: while true {
            let response = try IMAPResponseParser.parse(try readResponse())
            switch response {
            case .continuation: break waiting
            case .tagged(_, let status, _, let text): throw MailConnectionError(.rejected, "IDLE was refused: \(status.rawValue) \(text)")
            case .status(.bye, _, let text): throw MailConnectionError(.closed, "the server ended the session: \(text)")
            case .data(_, "EXISTS", _), .data(_, "RECENT", _): changed = true
            default: continue
            }
        }
        let deadline = Date().addingTimeInterval(seconds)
        while !changed && !shouldStop() && Date() < deadline {
            guard connection.waitReadable(milliseconds: checkMilliseconds) else { continue }
            switch try IMAPResponseParser.parse(try readResponse()) {
            case .data(_, "EXISTS", _), .data(_, "RECENT", _): changed = true
            case .status(.bye, _, let text): throw MailConnectionError(.closed, "the server ended the session: \(text)")
            default: continue
            }
        }
        try connection.write("DONE\r\n")
        _ = try collect(tag: tag)
        return changed
    }

    /// The open connection, for the command helpers.
    var connectionForCommands: MailConnection? { connection }

    /// The next command tag ("A1", "A2", ...).
    func nextTag() -> String {
        tagCounter += 1
        return "A\(tagCounter)"
    }

    func capabilitiesFromList(_ list: [String]) {
        capabilities.formUnion(list.map { $0.uppercased() })
    }

    /// NOOP: keeps the session alive and lets the server report new messages (polling).
    public func noop() throws { _ = try run("NOOP") }

    /// Says LOGOUT and closes (errors ignored).
    public func logout() {
        _ = try? run("LOGOUT")
        connection?.close()
        connection = nil
    }
}

/// What SELECT reports about a folder.
public struct IMAPFolderStatus: Sendable, Equatable {
    /// Changes when the server renumbers the folder: UIDs from before mean nothing after.
    public var uidValidity: UInt32
    public var uidNext: UInt32?
    public var exists: Int
}
