import Foundation

extension TicketService {
    /// Contacts one ticket may copy: a customer's colleagues, not a mailing list (every public
    /// reply is emailed to each of them).
    public static let maxCCsPerTicket = 20

    /// The CC contacts of ticket `id`, in the order they were added. Needs `ticket.view`.
    public func ccs(of id: TicketID, for viewer: Actor) async throws -> [Contact] {
        try require(.ticketView, for: viewer)
        return try await database.read { db in
            _ = try Self.visibleTicket(id, to: viewer, db)
            return try CCRecord.list(id, db)
        }
    }

    /// Copies the contact with `email` (created with `name` when new) on ticket `id`: public
    /// replies are then emailed to it too. Needs `ticket.update`; audited (`cc.added`) and
    /// logged as `ticket.ccs_changed`. Adding a CC twice changes nothing. Returns the CCs.
    /// Throws `.validation("email")` for a malformed address, the requester's own address or
    /// past `TicketService.maxCCsPerTicket`; `.validation("name")` for a name that is too long;
    /// `.notFound`, `.forbidden`.
    public func addCC(email: String, name: String, to id: TicketID, by actor: Actor) async throws -> CommandResult<[Contact]> {
        try require(.ticketUpdate, for: actor)
        let address = try EmailAddress.normalise(email, field: "email")
        try TextLimit.check(name, field: "name", max: ContactStore.maxNameLength)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            let current = try CCRecord.list(id, db)
            if current.contains(where: { $0.email == address }) { return TicketChange(value: current, events: []) }
            if try ContactStore.find(ticket.requesterID, db)?.email == address {
                throw DomainError.validation("email", "This is the requester's address; they receive every public reply already.")
            }
            guard current.count < TicketService.maxCCsPerTicket else {
                throw DomainError.validation("email", "A ticket can copy at most \(TicketService.maxCCsPerTicket) contacts.")
            }
            let (contact, _) = try ContactStore.findOrCreate(name: name, email: address, at: at, db)
            _ = try CCRecord.add(contact.id, to: id, at: at, db)
            try AuditLog.record(db, ticket: id, actor: actor, action: .ccAdded, before: nil,
                                after: ["contact": .int(contact.id.rawValue), "email": .string(contact.email)], at: at)
            let ccs = try CCRecord.list(id, db)
            return TicketChange(value: ccs, events: [.ccsChanged(ticket, ccs: ccs.map(\.id))])
        }
    }

    /// Removes contact `contact` from the CCs of ticket `id`. Needs `ticket.update`; audited
    /// (`cc.removed`) and logged as `ticket.ccs_changed`. Returns the CCs. Throws `.notFound`
    /// when the contact is not copied on the ticket.
    public func removeCC(_ contact: ContactID, from id: TicketID, by actor: Actor) async throws -> CommandResult<[Contact]> {
        try require(.ticketUpdate, for: actor)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            guard let removed = try CCRecord.list(id, db).first(where: { $0.id == contact }) else { throw DomainError.notFound("CC") }
            try CCRecord.remove(contact, from: id, db)
            try AuditLog.record(db, ticket: id, actor: actor, action: .ccRemoved,
                                before: ["contact": .int(contact.rawValue), "email": .string(removed.email)], after: nil, at: at)
            let ccs = try CCRecord.list(id, db)
            return TicketChange(value: ccs, events: [.ccsChanged(ticket, ccs: ccs.map(\.id))])
        }
    }
}
