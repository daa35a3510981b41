import Foundation
import Synchronization
import Presence
import Realtime
import Tickets

/// The `/api/live` endpoint (protocol.md section 2): authenticates the upgrade, keeps each
/// socket's subscriptions, relays presence and typing, and publishes ticket events to the
/// rooms that may see them, with sequence numbers for resuming.
final class LiveHub: WebSocketHandler, @unchecked Sendable {
    /// Limits of the endpoint, each with its reason.
    enum Limits {
        /// A client message is a small command; anything bigger is a mistake or an attack.
        static let maxMessageBytes = 16 * 1024
        /// Rooms one connection may follow: a ticket page, the board and the feed need a few.
        static let maxRooms = 100
        /// Client messages per second (typing signals every few seconds are far below it).
        static let messagesPerSecond = 30
        /// How often clients should ping to keep their presence alive.
        static let heartbeatSeconds = 20
        /// Live sockets one agent may hold at once (open or being opened): a tab each, on a few
        /// devices, with room for reconnects; more is a leak or an attack on memory.
        static let maxSocketsPerAgent = 100
    }

    /// Close codes of the live endpoint when access ends (protocol.md section 2.7).
    enum AccessClose {
        /// The session or token is no longer valid: signed out, expired, revoked, deactivated.
        static let ended = WebSocketCloseCode(rawValue: 4401)
        /// Still signed in, but without `ticket.view` any more.
        static let forbidden = WebSocketCloseCode(rawValue: 4403)
    }

    let services: Services
    let log: RoomLog
    let presence: PresenceService
    private let server: Server
    /// Open sockets by agent id, to find the ones an access event concerns. The lock only
    /// guards the map: nothing is called while it is held.
    private let sockets = Mutex<[Int64: [UInt64: (socket: WebSocket, role: RoleID)]]>([:])
    /// Upgrades accepted but not yet open, by agent id (they count towards the limit).
    private let opening = Mutex<[Int64: Int]>([:])

    /// Returns once this node's live consumer has handled the event log up to a position
    /// (at once for a position past the log's head, which no event will ever reach).
    private let caughtUp: @Sendable (Int64) async -> Void

    init(services: Services, server: Server, presence: PresenceService, log: RoomLog,
         caughtUp: @escaping @Sendable (Int64) async -> Void = { _ in }) {
        self.services = services
        self.server = server
        self.presence = presence
        self.log = log
        self.caughtUp = caughtUp
    }

    var rooms: Rooms { server.rooms }

    // MARK: Upgrade

    /// Decides an upgrade to `/api/live`: a browser's `Origin` must be this server, and the
    /// request must carry a valid session cookie or bearer API token.
    func upgrade(_ request: HTTPRequest, decide: @escaping @Sendable (WebSocketUpgradeDecision) -> Void) {
        if let origin = request.headers["Origin"],
           !Self.isSameOrigin(origin, host: request.headers["Host"], scheme: RequestOrigin.scheme(of: request)) {
            decide(.refuse(ProblemDetails.response(status: .forbidden, detail: "Cross-origin WebSocket connections are not allowed.")))
            return
        }
        let services = self.services
        Task {
            do {
                let authenticated = try await APIRoutes.authenticate(request, services: services)
                guard authenticated.principal.can(.ticketView) else {
                    throw ProblemError.forbidden("You need the ticket.view permission.")
                }
                let agent = authenticated.principal.agent.id.rawValue
                guard reserveSocket(for: agent) else {
                    var refusal = ProblemDetails.response(status: .tooManyRequests,
                                                          detail: "Too many live connections for this agent; close some tabs.")
                    refusal.headers.set("Retry-After", "60")
                    return decide(.refuse(refusal))
                }
                decide(.accept(self, userInfo: LiveSession(principal: authenticated.principal, credential: authenticated.credential)))
            } catch let error as any HTTPError {
                decide(.refuse(ProblemDetails.response(for: error)))
            } catch {
                decide(.refuse(ProblemDetails.response(status: .unauthorized, detail: "Sign in first.")))
            }
        }
    }

    /// True when `origin` (scheme://host[:port]) is the origin the request was sent to: the
    /// same scheme (`http` or `https`, as `RequestOrigin` tells), the same host and the same
    /// port, with each scheme's default port filled in on both sides (RFC 6454 section 4).
    static func isSameOrigin(_ origin: String, host: String?, scheme: String) -> Bool {
        guard let host, let url = URL(string: origin), let originScheme = url.scheme?.lowercased(),
              let originHost = url.host?.lowercased(), url.user == nil, url.path.isEmpty || url.path == "/",
              let defaultPort = ["http": 80, "https": 443][scheme], originScheme == scheme,
              let expected = URL(string: "\(scheme)://\(host)"), let expectedHost = expected.host?.lowercased(),
              expected.user == nil, expected.path.isEmpty else { return false }
        return originHost == expectedHost && (url.port ?? defaultPort) == (expected.port ?? defaultPort)
    }

    // MARK: Socket events

    func webSocketDidOpen(_ socket: WebSocket) {
        guard let session = socket.userInfo as? LiveSession else { return socket.close(code: .policyViolation) }
        sockets.withLock { $0[session.userID, default: [:]][socket.id] = (socket, session.principal.agent.roleID) }
        releaseReservation(of: session.userID)
        let person = PresenceRegistry.Person(userID: session.userID, name: session.principal.agent.name)
        socket.send(text: ServerMessage.text(ServerMessage.Hello(
            user: .init(person), permissions: session.principal.permissions.map(\.rawValue).sorted(),
            heartbeatSeconds: Limits.heartbeatSeconds)))
    }

    func webSocket(_ socket: WebSocket, didReceiveText text: String) {
        guard let session = socket.userInfo as? LiveSession else { return }
        let now = services.now()
        guard session.admitMessage(now: now, limitPerSecond: Limits.messagesPerSecond) else {
            return fail(socket, code: "rate_limited", message: "Too many messages; slow down.", id: nil)
        }
        guard text.utf8.count <= Limits.maxMessageBytes else {
            return fail(socket, code: "bad_request", message: "Message too large.", id: nil)
        }
        guard let message = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8)) else {
            return fail(socket, code: "bad_request", message: "Not a valid message (see protocol.md).", id: nil)
        }
        presence.touch(socket.id, now: now)
        handle(message, from: socket, session: session, now: now)
    }

    func webSocket(_ socket: WebSocket, didReceiveBinary bytes: [UInt8]) {
        fail(socket, code: "bad_request", message: "Binary messages are not part of the protocol.", id: nil)
    }

    func webSocketDidClose(_ socket: WebSocket, code: WebSocketCloseCode?, reason: String) {
        if let session = socket.userInfo as? LiveSession {
            sockets.withLock { map in
                map[session.userID]?[socket.id] = nil
                if map[session.userID]?.isEmpty == true { map[session.userID] = nil }
            }
        }
        presence.disconnect(socket.id)
    }

    func webSocketDidNotOpen(userInfo: (any Sendable)?) {
        if let session = userInfo as? LiveSession { releaseReservation(of: session.userID) }
    }

    /// Counts an accepted upgrade for `agent` unless the agent is at `maxSocketsPerAgent`.
    private func reserveSocket(for agent: Int64) -> Bool {
        let open = sockets.withLock { $0[agent]?.count ?? 0 }
        return opening.withLock { pending in
            guard open + pending[agent, default: 0] < Limits.maxSocketsPerAgent else { return false }
            pending[agent, default: 0] += 1
            return true
        }
    }

    private func releaseReservation(of agent: Int64) {
        opening.withLock { pending in
            pending[agent, default: 1] -= 1
            if pending[agent] == 0 { pending[agent] = nil }
        }
    }

    // MARK: Access changes

    /// Re-checks the credential of every socket `changes` concern (the agent's sockets, or
    /// every socket of a role's holders): a socket whose session or token no longer
    /// authenticates is closed with 4401, one whose agent lost `ticket.view` with 4403, and
    /// the others keep going with the new permissions. Called by the live consumer of the
    /// event log, so it reaches the sockets within moments of the commit.
    func accessChanged(_ changes: [AccessEvent]) {
        var agents: Set<Int64> = [], roles: Set<RoleID> = []
        for change in changes {
            switch change {
            case .sessionEnded(let agent), .agentChanged(let agent), .tokenRevoked(let agent, _): agents.insert(agent.rawValue)
            case .roleChanged(let role): roles.insert(role)
            }
        }
        let affected: [WebSocket] = sockets.withLock { map in
            map.flatMap { agent, sockets in
                sockets.values.filter { agents.contains(agent) || roles.contains($0.role) }.map(\.socket)
            }
        }
        for socket in affected { recheck(socket) }
    }

    private func recheck(_ socket: WebSocket) {
        guard let session = socket.userInfo as? LiveSession else { return }
        let accounts = services.accounts, credential = session.credential
        Task {
            let principal: Principal?
            do {
                principal = switch credential {
                case .session(let token, _): try await accounts.authenticate(sessionToken: token).principal
                case .apiToken(_, _, let secret): try await accounts.authenticate(apiToken: secret).principal
                }
            } catch let error as DomainError where error.code == .unauthenticated {
                principal = nil
            } catch {
                Log.error("live: access re-check failed, closing the socket: \(error)")
                principal = nil
            }
            socket.loop.execute {
                guard let principal else { return socket.close(code: AccessClose.ended, reason: "access ended") }
                guard principal.can(.ticketView) else { return socket.close(code: AccessClose.forbidden, reason: "ticket.view removed") }
                session.principal = principal
                self.sockets.withLock { $0[session.userID]?[socket.id]?.role = principal.agent.roleID }
            }
        }
    }

    // MARK: Commands

    private func handle(_ message: ClientMessage, from socket: WebSocket, session: LiveSession, now: Date) {
        switch message.type {
        case .ping:
            socket.send(text: ServerMessage.text(ServerMessage.Pong()))
        case .subscribe:
            guard let room = message.room else { return missingRoom(socket, message) }
            subscribe(socket, session: session, room: room, since: message.since, id: message.id, now: now)
        case .unsubscribe:
            guard let room = message.room else { return missingRoom(socket, message) }
            if session.rooms.remove(room) != nil {
                socket.leave(serverRoom(room, session))
                presence.leave(room, connection: socket.id)
            }
            socket.send(text: ServerMessage.text(ServerMessage.Ack(id: message.id)))
        case .typing, .stopTyping:
            guard let room = message.room, LiveRooms.ticketID(of: room) != nil, session.rooms.contains(room) else {
                return fail(socket, code: "bad_request", message: "Typing needs a subscribed ticket room.", id: message.id)
            }
            if message.type == .typing {
                presence.typing(room, connection: socket.id, composing: message.composing ?? .reply, now: now)
            } else {
                presence.stopTyping(room, connection: socket.id)
            }
        }
    }

    /// A ticket room is joined only once the ticket is known to exist (checked off the loop):
    /// an unknown ticket is answered `not_found` and nobody is announced as viewing it.
    ///
    /// A `since` newer than anything this node has published came from another node of the
    /// desk (the same log numbers every node's events) whose live consumer is ahead of this
    /// one's: the subscription waits until this node's consumer has read that far (off the
    /// loop), so the client resumes instead of resyncing. A `since` past the log's head waits
    /// for nothing and resyncs.
    private func subscribe(_ socket: WebSocket, session: LiveSession, room: String, since: Int?, id: ClientMessage.RequestID?,
                           now: Date, caughtUp checked: Bool = false) {
        if let since, since > log.newest, !checked {
            let caughtUp = self.caughtUp
            Task {
                await caughtUp(Int64(since))
                socket.loop.execute { [self] in
                    subscribe(socket, session: session, room: room, since: since, id: id, now: now, caughtUp: true)
                }
            }
            return
        }
        let ticketID = LiveRooms.ticketID(of: room)
        guard ticketID != nil || room == LiveRooms.board || room == LiveRooms.notifications else {
            return fail(socket, code: "not_found", message: "No such room.", id: id)
        }
        guard let ticketID, !session.rooms.contains(room) else {
            return join(socket, session: session, room: room, since: since, id: id, now: now)
        }
        let tickets = services.tickets, actor = Actor.agent(session.principal)
        Task {
            let exists: Bool
            do {
                _ = try await tickets.ticket(TicketID(ticketID), for: actor)
                exists = true
            } catch {
                exists = false
            }
            socket.loop.execute { [self] in
                guard exists else { return fail(socket, code: "not_found", message: "No such ticket.", id: id) }
                join(socket, session: session, room: room, since: since, id: id, now: now)
            }
        }
    }

    private func join(_ socket: WebSocket, session: LiveSession, room: String, since: Int?, id: ClientMessage.RequestID?, now: Date) {
        let ticketID = LiveRooms.ticketID(of: room)
        guard session.rooms.contains(room) || session.rooms.count < Limits.maxRooms else {
            return fail(socket, code: "too_many_rooms", message: "Unsubscribe from a room first.", id: id)
        }
        session.rooms.insert(room)
        let target = serverRoom(room, session)
        let (seq, missed) = log.subscribe(target, since: since) { socket.join(target) }
        var viewers: [ServerMessage.PersonJSON]?
        var typing: [ServerMessage.PersonJSON]?
        if ticketID != nil {
            let person = PresenceRegistry.Person(userID: session.userID, name: session.principal.agent.name)
            let state = presence.join(room, connection: socket.id, person: person, now: now)
            viewers = state.viewers
            typing = state.typing
        } else if room == LiveRooms.board {
            for summary in presence.boardSummaries() { socket.send(text: summary) }
        }
        if let missed {
            for event in missed { socket.send(text: event) }
        } else {
            socket.send(text: ServerMessage.text(ServerMessage.Resync(room: room, seq: seq)))
        }
        socket.send(text: ServerMessage.text(ServerMessage.Subscribed(room: room, seq: seq, viewers: viewers, typing: typing, id: id)))
    }

    /// The server-side room behind a client's room name: `notifications` is each agent's own feed.
    private func serverRoom(_ room: String, _ session: LiveSession) -> String {
        room == LiveRooms.notifications ? LiveRooms.feed(of: session.userID) : room
    }

    private func missingRoom(_ socket: WebSocket, _ message: ClientMessage) {
        fail(socket, code: "bad_request", message: "This message needs a room.", id: message.id)
    }

    private func fail(_ socket: WebSocket, code: String, message: String, id: ClientMessage.RequestID?) {
        socket.send(text: ServerMessage.text(ServerMessage.Failure(code: code, message: message, id: id)))
    }
}
