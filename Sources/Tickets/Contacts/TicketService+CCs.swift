import Foundation

/// The contacts copied on a ticket, on the caller's connection.
enum CCRecord {
    /// The CC contacts of `ticket`, in the order they were added.
    static func list(_ ticket: TicketID, _ db: Connection) throws -> [Contact] {
        try db.query("""
            SELECT c.id, c.name, c.email, c.created_at FROM ticket_ccs t JOIN contacts c ON c.id = t.contact_id
            WHERE t.ticket_id = ? ORDER BY t.added_at, c.id
            """, [.integer(ticket.rawValue)]).map {
            Contact(id: ContactID($0.int64(0)), name: $0.text(1), email: $0.text(2), createdAt: $0.date(3))
        }
    }

    /// Adds `contact` to `ticket`'s CCs; false when it was already there.
    static func add(_ contact: ContactID, to ticket: TicketID, at: Date, _ db: Connection) throws -> Bool {
        try db.run("INSERT OR IGNORE INTO ticket_ccs (ticket_id, contact_id, added_at) VALUES (?, ?, ?)",
                   [.integer(ticket.rawValue), .integer(contact.rawValue), .date(at)]) == 1
    }

    /// Whether `address` (any case) is the requester or a CC of `ticket`: the ticket's people,
    /// whose emails are replies rather than a stranger's.
    static func isTicketPerson(_ address: String, ticket: Ticket, _ db: Connection) throws -> Contact? {
        let lower = address.lowercased()
        if let requester = try ContactStore.find(ticket.requesterID, db), requester.email == lower { return requester }
        return try list(ticket.id, db).first { $0.email == lower }
    }

    /// Copies the contact of each (name, address) on `ticket` (skipping the requester, the
    /// ones already there, malformed addresses and any past `TicketService.maxCCsPerTicket`), with an audit
    /// entry each; returns the new list when it changed.
    static func addAll(_ people: [(name: String, address: String)], to ticket: Ticket, by actor: Actor, at: Date,
                       _ db: Connection) throws -> [Contact]? {
        var changed = false
        for person in people {
            // A malformed Cc address in someone's email is skipped, not a reason to refuse the email.
            guard (try? EmailAddress.normalise(person.address)) != nil, try list(ticket.id, db).count < TicketService.maxCCsPerTicket
            else { continue }
            let (contact, _) = try ContactStore.findOrCreate(name: String(person.name.prefix(ContactStore.maxNameLength)),
                                                            email: person.address, at: at, db)
            guard contact.id != ticket.requesterID, try add(contact.id, to: ticket.id, at: at, db) else { continue }
            try AuditLog.record(db, ticket: ticket.id, actor: actor, action: .ccAdded, before: nil,
                                after: ["contact": .int(contact.id.rawValue), "email": .string(contact.email)], at: at)
            changed = true
        }
        return changed ? try list(ticket.id, db) : nil
    }
}

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
            try db.run("DELETE FROM ticket_ccs WHERE ticket_id = ? AND contact_id = ?", [.integer(id.rawValue), .integer(contact.rawValue)])
            try AuditLog.record(db, ticket: id, actor: actor, action: .ccRemoved,
                                before: ["contact": .int(contact.rawValue), "email": .string(removed.email)], after: nil, at: at)
            let ccs = try CCRecord.list(id, db)
            return TicketChange(value: ccs, events: [.ccsChanged(ticket, ccs: ccs.map(\.id))])
        }
    }
}
