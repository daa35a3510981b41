import Foundation
import Synchronization
import Realtime
import Tickets

/// `/api/portal/live` (protocol.md section 3): the requester portal's read-only live room.
/// The socket opens without credentials; its first message carries the access link's token
/// (never the URL: it would reach logs). Once it opens a ticket the socket joins that
/// ticket's portal room and receives its public replies and status changes, nothing else.
/// A regenerated link, a link expiry or a deleted ticket ends the socket with 4401.
final class PortalLive: WebSocketHandler, @unchecked Sendable {
    /// Limits of the endpoint, each with its reason.
    enum Limits {
        /// The browser sends the token right after the socket opens; a socket silent for
        /// longer is not a portal page.
        static let authSeconds = 10.0
        /// Client messages are `auth` (a 43-character token) and `ping`.
        static let maxMessageBytes = 512
        /// The page pings every `heartbeatSeconds`; 30 a minute is a misbehaving client.
        static let messagesPerMinute = 30
        /// How often the page pings (each ping re-checks the link: an expiry ends the socket).
        static let heartbeatSeconds = 20
    }

    /// Close codes (protocol.md section 3.4).
    enum Close {
        /// The token opens nothing (any reason: one code, as the REST routes give one 404),
        /// or the link was regenerated, expired or its ticket deleted while connected.
        static let linkInvalid = WebSocketCloseCode(rawValue: 4401)
        /// No `auth` message within `Limits.authSeconds`.
        static let authTimeout = WebSocketCloseCode(rawValue: 4408)
        /// Too many requests from this address or with this token (as the REST 429).
        static let rateLimited = WebSocketCloseCode(rawValue: 4429)
    }

    let services: Services
    private let throttle: PortalThrottle
    private let proxies: TrustedProxies
    private let rooms: @Sendable () -> Rooms
    /// Open, authenticated sockets by ticket id, to end them when the link changes. The lock
    /// only guards the map: nothing is called while it is held.
    private let sockets = Mutex<[Int64: [UInt64: WebSocket]]>([:])

    init(services: Services, throttle: PortalThrottle, proxies: TrustedProxies, rooms: @escaping @Sendable () -> Rooms) {
        self.services = services
        self.throttle = throttle
        self.proxies = proxies
        self.rooms = rooms
    }

    static func room(_ ticket: TicketID) -> String { "portal:\(ticket.rawValue)" }

    /// Accepts a same-origin upgrade that the address's rate limit allows.
    func upgrade(_ request: HTTPRequest, decide: @escaping @Sendable (WebSocketUpgradeDecision) -> Void) {
        if let origin = request.headers["Origin"],
           !LiveHub.isSameOrigin(origin, host: request.headers["Host"], scheme: RequestOrigin.scheme(of: request)) {
            return decide(.refuse(ProblemDetails.response(status: .forbidden, detail: "Cross-origin WebSocket connections are not allowed.")))
        }
        let address = proxies.clientAddress(of: request)
        if let wait = throttle.admitAddress(address) { return decide(.refuse(PortalRoutes.tooMany(wait))) }
        decide(.accept(self, userInfo: PortalSocketSession(address: address)))
    }

    func webSocketDidOpen(_ socket: WebSocket) {
        guard let session = socket.userInfo as? PortalSocketSession else { return socket.close(code: .policyViolation) }
        session.deadline = socket.loop.schedule(after: Limits.authSeconds) { [weak socket] in
            guard let socket, session.ticket == nil else { return }
            socket.close(code: Close.authTimeout, reason: "no auth message")
        }
    }

    func webSocket(_ socket: WebSocket, didReceiveText text: String) {
        guard let session = socket.userInfo as? PortalSocketSession else { return }
        guard session.admitMessage(now: services.now(), limitPerMinute: Limits.messagesPerMinute),
              text.utf8.count <= Limits.maxMessageBytes,
              let message = try? JSONDecoder().decode(PortalClientMessage.self, from: Data(text.utf8)) else {
            return socket.close(code: .policyViolation, reason: "not a portal message (see protocol.md section 3)")
        }
        switch message.type {
        case .auth:
            guard session.ticket == nil, !session.authenticating, let token = message.token else {
                return socket.close(code: .policyViolation, reason: "auth once, with a token")
            }
            session.authenticating = true
            authenticate(socket, session: session, token: token)
        case .ping:
            guard let ticket = session.ticket, let token = session.token else {
                return socket.close(code: .policyViolation, reason: "auth first")
            }
            recheck(socket, ticket: ticket, token: token, reply: true)
        }
    }

    func webSocket(_ socket: WebSocket, didReceiveBinary bytes: [UInt8]) {
        socket.close(code: .unsupportedData, reason: "text messages only")
    }

    func webSocketDidClose(_ socket: WebSocket, code: WebSocketCloseCode?, reason: String) {
        guard let session = socket.userInfo as? PortalSocketSession else { return }
        session.closed = true
        if let deadline = session.deadline { socket.loop.cancel(deadline) }
        if let ticket = session.ticket {
            sockets.withLock { map in
                map[ticket.rawValue]?[socket.id] = nil
                if map[ticket.rawValue]?.isEmpty == true { map[ticket.rawValue] = nil }
            }
        }
    }

    private func authenticate(_ socket: WebSocket, session: PortalSocketSession, token: String) {
        if let wait = throttle.admit(address: session.address, tokenKey: PortalService.tokenKey(token)) {
            return socket.close(code: Close.rateLimited, reason: "retry after \(wait) s")
        }
        let portal = services.portal, throttle = self.throttle
        Task {
            let ticket: TicketID
            do {
                ticket = try await portal.open(token: token)
            } catch {
                throttle.refused(address: session.address)
                return socket.close(code: Close.linkInvalid, reason: "this link does not open a ticket")
            }
            socket.loop.execute { [self] in
                // Closed while the token was checked: registering now would leave a stale entry.
                guard !session.closed else { return }
                session.ticket = ticket
                session.token = token
                sockets.withLock { $0[ticket.rawValue, default: [:]][socket.id] = socket }
                socket.join(Self.room(ticket))
                _ = socket.send(text: ServerMessage.text(PortalWelcome(heartbeatSeconds: Limits.heartbeatSeconds)))
            }
        }
    }

    /// Closes `socket` with 4401 when its token no longer opens `ticket`; answers `pong` otherwise.
    private func recheck(_ socket: WebSocket, ticket: TicketID, token: String, reply: Bool) {
        let portal = services.portal
        Task {
            guard (try? await portal.open(token: token)) == ticket else {
                return socket.close(code: Close.linkInvalid, reason: "the link no longer opens this ticket")
            }
            if reply { _ = socket.send(text: #"{"type":"pong"}"#) }
        }
    }

    // MARK: From the event log (LiveEvents)

    /// Sends what the requester may see of `event` to the ticket's portal room: public
    /// replies and status changes. A regenerated or re-dated link re-checks the ticket's
    /// sockets (closing those whose token no longer opens it); a deleted ticket closes them.
    func publish(_ event: TicketEvent) async throws {
        switch event {
        case .messageAdded(let ticket, let message):
            guard message.kind == .reply else { return }
            var contacts = [ticket.requesterID]
            if case .requester(let author) = message.author, author != ticket.requesterID { contacts.append(author) }
            let people = try await PeopleDirectory.load(services, contacts: contacts)
            let json = PortalMessageJSON(message, people: people, requesterName: people.contacts[ticket.requesterID]?.name)
            broadcast(ServerMessage.text(PortalMessageEvent(message: json)), to: ticket.id)
        case .statusChanged(let ticket, _, _):
            broadcast(ServerMessage.text(PortalStatusEvent(ticket: PortalStatusJSON(ticket))), to: ticket.id)
        case .accessLinkChanged(let ticket, _):
            for (socket, token) in authenticated(ticket.id) { recheck(socket, ticket: ticket.id, token: token, reply: false) }
        case .ticketDeleted(let id, _):
            for (socket, _) in authenticated(id) { socket.close(code: Close.linkInvalid, reason: "the ticket was deleted") }
        case .ticketCreated, .ticketUpdated, .assigned, .merged, .watchersChanged, .linksChanged, .ccsChanged, .emailFailed:
            return
        }
    }

    private func broadcast(_ text: String, to ticket: TicketID) {
        rooms().broadcast(.text(text), to: Self.room(ticket))
    }

    private func authenticated(_ ticket: TicketID) -> [(WebSocket, String)] {
        let open = sockets.withLock { Array(($0[ticket.rawValue] ?? [:]).values) }
        return open.compactMap { socket in (socket.userInfo as? PortalSocketSession)?.token.map { (socket, $0) } }
    }
}

/// One portal socket's state, changed only on its event loop (the token is read from the
/// relay's task after it is set, never changed again).
final class PortalSocketSession: @unchecked Sendable {
    let address: String
    var ticket: TicketID?
    var token: String?
    var authenticating = false
    var closed = false
    var deadline: TimerID?
    private var windowStart = Date.distantPast
    private var messagesInWindow = 0

    init(address: String) { self.address = address }

    /// Counts one client message; false past `limitPerMinute` in the current minute.
    func admitMessage(now: Date, limitPerMinute: Int) -> Bool {
        if now.timeIntervalSince(windowStart) >= 60 {
            windowStart = now
            messagesInWindow = 0
        }
        messagesInWindow += 1
        return messagesInWindow <= limitPerMinute
    }
}

struct PortalClientMessage: Decodable {
    enum Kind: String, Decodable { case auth, ping }
    let type: Kind
    let token: String?
}

struct PortalWelcome: Encodable {
    let type = "welcome"
    let protocolVersion = 1
    let heartbeatSeconds: Int
}

struct PortalMessageEvent: Encodable {
    let type = "message"
    let message: PortalMessageJSON
}

struct PortalStatusJSON: Encodable {
    let status: String
    let statusText: String

    init(_ ticket: Ticket) {
        status = ticket.status.rawValue
        statusText = PortalTicketJSON.plainWords(ticket.status)
    }
}

struct PortalStatusEvent: Encodable {
    let type = "status"
    let ticket: PortalStatusJSON
}
