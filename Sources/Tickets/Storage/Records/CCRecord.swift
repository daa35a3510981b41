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
        try db.run("""
            INSERT INTO ticket_ccs (ticket_id, contact_id, added_at) VALUES (?, ?, ?) ON CONFLICT (ticket_id, contact_id) DO NOTHING
            """, [.integer(ticket.rawValue), .integer(contact.rawValue), .date(at)]) == 1
    }

    /// Removes `contact` from `ticket`'s CCs.
    static func remove(_ contact: ContactID, from ticket: TicketID, _ db: Connection) throws {
        try db.run("DELETE FROM ticket_ccs WHERE ticket_id = ? AND contact_id = ?", [.integer(ticket.rawValue), .integer(contact.rawValue)])
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
