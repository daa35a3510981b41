import Foundation
import Realtime
import Tickets

/// The requester portal's public API. No session: the access link's token, sent in the
/// `Portal-Token` header (never in the URL, so it stays out of access logs and `Referer`),
/// opens its one ticket. Every route is rate-limited per client address and per token, and
/// every token that opens nothing gets the same 404.
enum PortalRoutes {
    static let tokenHeader = "Portal-Token"

    static func register(_ routes: APIRoutes, throttle: PortalThrottle) {
        let services = routes.services
        let proxies = routes.trustedProxies
        let portal = services.portal
        let settings = AccountSettingsService(database: services.database, now: services.now)
        portalRoute(routes, throttle, .get, "/api/portal/ticket") { ticket, _ in
            let (found, messages) = try await portal.conversation(of: ticket)
            let account = try await settings.settings()
            let authors = messages.compactMap { message -> ContactID? in
                if case .requester(let id) = message.author { return id }
                return nil
            }
            let people = try await PeopleDirectory.load(services, contacts: Array(Set([found.requesterID] + authors)))
            let survey = try await services.surveys.currentSurvey(of: ticket).map { PortalSurveyJSON($0.0, token: $0.1) }
            return try JSONBody.response(PortalTicketJSON(found, messages: messages, account: account, people: people, survey: survey))
        }
        portalRoute(routes, throttle, .get, "/api/portal/attachments/:id") { ticket, http in
            guard let raw = http.parameters["id"], let id = Int64(raw), id > 0 else { throw ProblemError.notFound("No such attachment.") }
            let (attachment, file) = try await portal.attachment(AttachmentID(id), on: ticket)
            return AttachmentHeaders.response(attachment, file: file, inline: false)
        }
        portalRoute(routes, throttle, .post, "/api/portal/messages") { ticket, http in
            // Parsing and staging files are blocking work: off the task pool, like agents' uploads.
            let form = try await BlockingWork.run { PortalParsedForm(try PortalForm.read(http)) }
            let fields = form.fields, files = form.files
            try MessageForm.checkSizes(files)
            switch try PublicFormGuard.check(fields, captcha: services.captcha) {
            case .pass: break
            case .quietlyDrop:
                throttle.refused(address: proxies.clientAddress(of: http))
                return PublicFormGuard.quietAnswer
            }
            let body = fields["body"] ?? ""
            guard files.count <= PortalService.maxReplyFiles else {
                throw ProblemError.unprocessable("Attach at most \(PortalService.maxReplyFiles) files.", field: "attachments")
            }
            let staged = try await BlockingWork.run {
                try files.map { file in try MessageForm.stage(file, from: form.source, into: services.tickets.attachments) }
            }
            let message = try await portal.reply(to: ticket, body: body, attachments: staged).value
            let people = try await PeopleDirectory.load(services, contacts: [])
            return try JSONBody.response(PortalMessageJSON(message, people: people, requesterName: nil), status: .created)
        }
        // A captcha challenge for any public form: no token (the survey has its own), counted per address.
        routes.router.post("/api/portal/captcha", async: { http in
            if let wait = throttle.admitAddress(proxies.clientAddress(of: http)) { return tooMany(wait) }
            let issued = services.captcha.issue()
            return privately(try JSONBody.response(CaptchaJSON(challenge: issued.challenge, difficultyBits: issued.difficultyBits,
                                                               expiresAt: issued.expiresAt), status: .created))
        })
        // The logo brands the portal page, which has no session; it is no secret. Counted
        // per address only (no token: an <img> sends no header).
        routes.router.get("/api/portal/logo", async: { http in
            if let wait = throttle.admitAddress(proxies.clientAddress(of: http)) { return tooMany(wait) }
            guard let logo = try await settings.logo() else { throw ProblemError.notFound("No logo has been uploaded.") }
            var response = AccountSettingsRoutes.logoResponse(logo)
            response.headers.set("Cache-Control", "public, max-age=300")
            return response
        })
    }

    static func tooMany(_ wait: Int) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Retry-After", String(wait))
        return privately(ProblemDetails.response(status: .tooManyRequests, detail: "Too many requests. Try again later.", headers: headers))
    }

    /// Adds a public portal route: throttle, open the token, then `handler` with the ticket.
    static func portalRoute(_ routes: APIRoutes, _ throttle: PortalThrottle, _ method: HTTPMethod, _ pattern: String,
                            _ handler: @escaping @Sendable (TicketID, HTTPRequest) async throws -> HTTPResponse) {
        let portal = routes.services.portal
        tokenRoute(routes, throttle, method, pattern, header: tokenHeader, open: { try await portal.open(token: $0) }, handler)
    }

    /// Adds a public route opened by the token in `header`: the request is counted per
    /// address and per token, a token that `open` refuses is counted as a refusal and
    /// answered with `open`'s error, and `handler` gets what `open` found.
    static func tokenRoute<Opened: Sendable>(_ routes: APIRoutes, _ throttle: PortalThrottle, _ method: HTTPMethod, _ pattern: String,
                                             header: String, open: @escaping @Sendable (String) async throws -> Opened,
                                             _ handler: @escaping @Sendable (Opened, HTTPRequest) async throws -> HTTPResponse) {
        let proxies = routes.trustedProxies
        routes.router.add(method, pattern, async: { http in
            let address = proxies.clientAddress(of: http)
            let presented = http.headers[header] ?? ""
            if let wait = throttle.admit(address: address, tokenKey: PortalService.tokenKey(presented)) { return tooMany(wait) }
            do {
                let opened: Opened
                do {
                    opened = try await open(presented)
                } catch {
                    throttle.refused(address: address)
                    throw error
                }
                try InputLimits.refuseNUL(inQueryOf: http)
                return privately(try await handler(opened, http))
            } catch let error as DomainError {
                return privately(try APIProblem.response(for: error))
            }
        })
    }

    /// Portal answers are about one person's ticket: never cached, never a referrer.
    static func privately(_ response: HTTPResponse) -> HTTPResponse {
        var response = response
        response.headers.set("Cache-Control", "no-store")
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }
}

/// A parsed portal form handed between blocking-work threads; used by one thread at a time.
private struct PortalParsedForm: @unchecked Sendable {
    let fields: [String: String]
    let files: [MultipartPart]
    let source: MemoryBody

    init(_ parsed: ([String: String], [MultipartPart], MemoryBody)) {
        (fields, files, source) = parsed
    }
}

/// A proof-of-work challenge: find a decimal `nonce` such that SHA-256(`challenge:nonce`)
/// starts with `difficultyBits` zero bits, and send both with the form before `expiresAt`.
struct CaptchaJSON: Encodable {
    let challenge: String
    let difficultyBits: Int
    let expiresAt: Date
}

/// The ticket as its requester sees it: the account's branding, the status in plain words
/// and the public replies (no notes, no system messages, no agent-only fields).
struct PortalTicketJSON: Encodable {
    let reference: String
    let subject: String
    let status: String
    /// The status in plain words for the requester.
    let statusText: String
    let account: PortalAccountJSON
    let messages: [PortalMessageJSON]
    /// The satisfaction survey of the latest resolution, once there is one.
    @Nullable var survey: PortalSurveyJSON?

    init(_ ticket: Ticket, messages: [Message], account: AccountSettings, people: PeopleDirectory, survey: PortalSurveyJSON?) {
        self.survey = survey
        reference = ticket.reference
        subject = ticket.subject
        status = ticket.status.rawValue
        statusText = Self.plainWords(ticket.status)
        self.account = PortalAccountJSON(name: account.name, logoUrl: account.logoContentType == nil ? nil : "/api/portal/logo")
        let requesterName = people.contacts[ticket.requesterID]?.name
        self.messages = messages.map { PortalMessageJSON($0, people: people, requesterName: requesterName) }
    }

    static func plainWords(_ status: TicketStatus) -> String {
        switch status {
        case .open: "We have your request and will answer soon."
        case .inProgress: "We are working on your request."
        case .pending: "We are waiting for your answer."
        case .onHold: "Your request is on hold; we will get back to you."
        case .resolved: "We think this is solved. Reply if it is not."
        case .closed: "This request is closed."
        }
    }
}

/// The survey link the portal shows (`/survey#<token>`), with its state.
struct PortalSurveyJSON: Encodable {
    @Nullable var url: String?
    let status: String
    let expiresAt: Date
    @Nullable var rating: Int?

    init(_ survey: Survey, token: String?) {
        url = token.map { "/survey#" + $0 }
        status = survey.status.rawValue
        expiresAt = survey.expiresAt
        rating = survey.rating
    }
}

struct PortalAccountJSON: Encodable {
    let name: String
    @Nullable var logoUrl: String?
}

/// A public reply as the requester sees it: who wrote it by name only (no ids, no emails).
struct PortalMessageJSON: Encodable {
    struct Author: Encodable {
        /// `agent` (the support team) or `requester` (you).
        let type: String
        let name: String
    }

    struct File: Encodable {
        let id: Int64
        let fileName: String
        let contentType: String
        let size: Int64
    }

    let id: Int64
    let author: Author
    let body: String
    let createdAt: Date
    let attachments: [File]

    init(_ message: Message, people: PeopleDirectory, requesterName: String?) {
        id = message.id.rawValue
        author = switch message.author {
        case .agent(let agent): Author(type: "agent", name: people.agents[agent]?.name ?? "Support")
        // The requester, or a contact copied on the ticket who answered by email.
        case .requester(let contact): Author(type: "requester", name: people.contacts[contact]?.name ?? requesterName ?? "You")
        case .system: Author(type: "agent", name: "Support")
        }
        body = message.body
        createdAt = message.createdAt
        attachments = message.attachments.map { File(id: $0.id.rawValue, fileName: $0.fileName, contentType: $0.contentType, size: $0.size) }
    }
}
