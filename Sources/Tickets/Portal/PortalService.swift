import Foundation

/// The requester portal's access links: one unguessable link per ticket that agents copy,
/// regenerate and give an expiry, and that opens that ticket (and only it) for whoever holds it.
/// Every change is a ticket command: audited and logged (`ticket.access_link_changed`) in
/// its transaction.
public final class PortalService: Sendable {
    let tickets: TicketService
    let key: AccessLinkKey
    let now: Clock

    public init(tickets: TicketService, key: AccessLinkKey, now: @escaping Clock) {
        self.tickets = tickets
        self.key = key
        self.now = now
    }

    var database: Database { tickets.database }

    /// The answer to every token that opens nothing (unknown, malformed, expired, replaced,
    /// its ticket deleted): one message, so a caller learns nothing about why.
    static let refused = DomainError(.notFound, "This link does not open a ticket. Ask the support team for a new one.")

    /// The access link of ticket `id` with its token, nil when none was issued. Needs
    /// `ticket.update` (the token lets its holder reply as the requester). Throws `.notFound`.
    public func accessLink(of id: TicketID, for viewer: Actor) async throws -> AccessLink? {
        try require(.ticketUpdate, for: viewer)
        return try await database.read { db in
            _ = try TicketService.visibleTicket(id, to: viewer, db)
            return try AccessLinkRecord.find(ticket: id, db).map(self.link)
        }
    }

    /// Issues the first link of ticket `id`, or replaces its token (the old link stops opening
    /// at once), valid until `expiresAt` (nil: no expiry). Needs `ticket.update`. Throws
    /// `.validation("expiresAt")` for a time not in the future, `.notFound`, `.forbidden`.
    public func issueAccessLink(for id: TicketID, expiresAt: Date?, by actor: Actor) async throws -> CommandResult<AccessLink> {
        try require(.ticketUpdate, for: actor)
        let at = now()
        try Self.checkExpiry(expiresAt, now: at)
        return try await tickets.command(by: actor, at: at) { db in
            let ticket = try TicketService.visibleTicket(id, to: actor, db)
            let previous = try AccessLinkRecord.find(ticket: id, db)
            return try self.mint(ticket, after: previous, expiresAt: expiresAt, by: actor, at: at, db)
        }
    }

    /// The link of ticket `id`, issued (without expiry) when it has none or its link expired:
    /// for outgoing email, which must always carry a working link. Needs `ticket.update`
    /// (the system may). Throws `.notFound`.
    public func ensureAccessLink(for id: TicketID, by actor: Actor) async throws -> CommandResult<AccessLink> {
        try require(.ticketUpdate, for: actor)
        let at = now()
        return try await tickets.command(by: actor, at: at) { db in
            let ticket = try TicketService.visibleTicket(id, to: actor, db)
            let previous = try AccessLinkRecord.find(ticket: id, db)
            if let previous, previous.expiresAt.map({ $0 > at }) ?? true, self.key.token(nonce: previous.nonce).matches(previous.tokenHash) {
                return TicketChange(value: self.link(previous), events: [])
            }
            return try self.mint(ticket, after: previous, expiresAt: nil, by: actor, at: at, db)
        }
    }

    /// Gives the link of ticket `id` another expiry (nil: none), keeping its token. Needs
    /// `ticket.update`. Throws `.validation("expiresAt")`, `.notFound` (also when the ticket
    /// has no link), `.forbidden`.
    public func setAccessLinkExpiry(for id: TicketID, expiresAt: Date?, by actor: Actor) async throws -> CommandResult<AccessLink> {
        try require(.ticketUpdate, for: actor)
        let at = now()
        try Self.checkExpiry(expiresAt, now: at)
        return try await tickets.command(by: actor, at: at) { db in
            let ticket = try TicketService.visibleTicket(id, to: actor, db)
            guard let previous = try AccessLinkRecord.find(ticket: id, db) else { throw DomainError.notFound("Access link") }
            try AccessLinkRecord.setExpiry(ticket: id, expiresAt, db)
            try AuditLog.record(db, ticket: id, actor: actor, action: .accessLinkExpiryChanged,
                                before: ["expiresAt": .date(previous.expiresAt)], after: ["expiresAt": .date(expiresAt)], at: at)
            let change = AccessLinkChange(action: .expiryChanged, generation: previous.generation, expiresAt: expiresAt)
            let updated = AccessLinkRecord.Stored(ticketID: id, tokenHash: previous.tokenHash, nonce: previous.nonce,
                                                  generation: previous.generation, createdAt: previous.createdAt, expiresAt: expiresAt)
            return TicketChange(value: self.link(updated), events: [.accessLinkChanged(ticket, change)])
        }
    }

    /// The ticket a presented token opens. Every token that opens nothing throws the same
    /// `.notFound` (`refused`) after the same work: one SHA-256 of the (bounded) input and one
    /// lookup by the unique hash index. Comparing digests (not the token) in the index leaks
    /// nothing usable: the caller cannot steer a hash's bytes.
    public func open(token: String) async throws -> TicketID {
        let hash = AccessLinkToken.hash(token)
        let at = now()
        let found = try await database.read { db in try AccessLinkRecord.find(hash: hash, db) }
        guard let found, !(found.expiresAt.map { $0 <= at } ?? false) else { throw Self.refused }
        return found.ticketID
    }

    /// Writes a new token for `ticket` (first or replacement) with its audit entry and event.
    private func mint(_ ticket: Ticket, after previous: AccessLinkRecord.Stored?, expiresAt: Date?, by actor: Actor,
                      at: Date, _ db: Connection) throws -> TicketChange<AccessLink> {
        let nonce = Crypto.randomBytes(AccessLinkToken.nonceBytes)
        let token = key.token(nonce: nonce)
        let stored = AccessLinkRecord.Stored(ticketID: ticket.id, tokenHash: AccessLinkToken.hash(token), nonce: nonce,
                                             generation: (previous?.generation ?? 0) + 1, createdAt: at, expiresAt: expiresAt)
        try AccessLinkRecord.save(stored, db)
        let action: AccessLinkChange.Action = previous == nil ? .issued : .regenerated
        try AuditLog.record(db, ticket: ticket.id, actor: actor, action: action == .issued ? .accessLinkIssued : .accessLinkRegenerated,
                            before: previous.map { ["generation": .int(Int64($0.generation))] },
                            after: ["generation": .int(Int64(stored.generation)), "expiresAt": .date(expiresAt)], at: at)
        let change = AccessLinkChange(action: action, generation: stored.generation, expiresAt: expiresAt)
        return TicketChange(value: AccessLink(ticketID: ticket.id, token: token, generation: stored.generation, createdAt: at,
                                              expiresAt: expiresAt),
                            events: [.accessLinkChanged(ticket, change)])
    }

    /// The link as shown to agents: the token only when this server's key still derives it.
    private func link(_ stored: AccessLinkRecord.Stored) -> AccessLink {
        let token = key.token(nonce: stored.nonce)
        return AccessLink(ticketID: stored.ticketID, token: token.matches(stored.tokenHash) ? token : nil,
                          generation: stored.generation, createdAt: stored.createdAt, expiresAt: stored.expiresAt)
    }

    private static func checkExpiry(_ expiresAt: Date?, now: Date) throws {
        if let expiresAt, expiresAt <= now { throw DomainError.validation("expiresAt", "Choose a time in the future.") }
    }
}

private extension String {
    /// True when this token hashes to `hash`.
    func matches(_ hash: [UInt8]) -> Bool { Crypto.constantTimeEqual(AccessLinkToken.hash(self), hash) }
}

extension PortalService {
    /// A short digest of a presented token (hex of 8 bytes of its SHA-256), to key rate
    /// limits and logs by without keeping the token itself.
    public static func tokenKey(_ presented: String) -> String {
        Encoding.hex(Array(AccessLinkToken.hash(presented).prefix(8)))
    }
}
