import Foundation

extension TicketService {
    /// The links shown on ticket `id` (its own, and related-ticket links made from the other
    /// side), oldest first. Needs `ticket.view`.
    public func links(of id: TicketID, for viewer: Actor) async throws -> [TicketLink] {
        try require(.ticketView, for: viewer)
        return try await database.read { db in
            _ = try Self.visibleTicket(id, to: viewer, db)
            return try TicketLinkRecord.list(id, db)
        }
    }

    /// Links ticket `id` to an external record or another ticket. Needs `ticket.update`. A
    /// ticket link is audited and announced on both tickets. Returns the new link as seen from
    /// `id`. Throws `.validation` (`title`, `url`, `ticketId`: missing, unknown or the ticket
    /// itself), `.conflict` when the two tickets are already linked or the ticket has too many
    /// links, `.notFound`, `.forbidden`.
    public func addLink(_ draft: NewTicketLink, to id: TicketID, by actor: Actor) async throws -> CommandResult<TicketLink> {
        try require(.ticketUpdate, for: actor)
        let external = draft.kind == .ticket ? nil : (title: try TicketLinkRules.title(draft.title),
                                                      url: try TicketLinkRules.url(draft.url),
                                                      statusText: try TicketLinkRules.statusText(draft.statusText))
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            let existing = try TicketLinkRecord.list(id, db)
            guard existing.count < TicketLinkRules.maxLinksPerTicket else {
                throw DomainError(.conflict, "\(ticket.reference) already has \(TicketLinkRules.maxLinksPerTicket) links.")
            }
            var target: Ticket?
            if draft.kind == .ticket {
                guard let targetID = draft.ticketID else { throw DomainError.validation("ticketId", "Choose the ticket to link.") }
                guard targetID != id else { throw DomainError.validation("ticketId", "A ticket cannot be linked to itself.") }
                guard let found = try TicketRecord.find(targetID, db) else {
                    throw DomainError.validation("ticketId", "That ticket does not exist.")
                }
                guard !existing.contains(where: { $0.linkedTicket?.id == targetID }) else {
                    throw DomainError(.conflict, "\(ticket.reference) is already linked to \(found.reference).", field: "ticketId")
                }
                target = found
            }
            let linkID = try TicketLinkRecord.insert(
                from: id, kind: draft.kind, title: external?.title ?? "", url: external?.url, target: target?.id,
                statusText: external?.statusText, by: actor.agentID, at: at, db)
            let links = try TicketLinkRecord.list(id, db)
            guard let link = links.first(where: { $0.id == linkID }) else { preconditionFailure("inserted link not listed") }
            var values: AuditLog.Values = ["linkID": .int(linkID.rawValue), "kind": .string(draft.kind.rawValue),
                                           "title": .string(link.title), "url": .optional(link.url),
                                           "statusText": .optional(link.statusText)]
            try AuditLog.record(db, ticket: id, actor: actor, action: .linkAdded, before: nil, after: values, at: at)
            var events: [TicketEvent] = [.linksChanged(ticket, links: links)]
            if let target {
                values["title"] = .string("\(ticket.reference) \(ticket.subject)")
                values["ticket"] = .string(ticket.reference)
                try AuditLog.record(db, ticket: target.id, actor: actor, action: .linkAdded, before: nil, after: values, at: at)
                events.append(.linksChanged(target, links: try TicketLinkRecord.list(target.id, db)))
            }
            return TicketChange(value: link, events: events)
        }
    }

    /// Sets the status text of external link `linkID` on ticket `id` (nil or empty clears it).
    /// Needs `ticket.update`; audited (`link.updated`) and announced (`linksChanged`). Throws
    /// `.notFound` when the link is not on that ticket, `.validation("statusText")` for a
    /// related-ticket link (its status is the ticket's own) or a text too long.
    public func setLinkStatus(_ linkID: TicketLinkID, on id: TicketID, to raw: String?, by actor: Actor) async throws
        -> CommandResult<TicketLink>
    {
        try require(.ticketUpdate, for: actor)
        let text = try TicketLinkRules.statusText(raw)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            guard let link = try TicketLinkRecord.list(id, db).first(where: { $0.id == linkID }) else {
                throw DomainError.notFound("Link")
            }
            guard link.kind != .ticket else {
                throw DomainError.validation("statusText", "A related ticket shows its own status.")
            }
            guard link.statusText != text else { return TicketChange(value: link, events: []) }
            try TicketLinkRecord.setStatusText(text, of: linkID, db)
            try AuditLog.record(db, ticket: id, actor: actor, action: .linkUpdated,
                                before: ["linkID": .int(linkID.rawValue), "title": .string(link.title), "statusText": .optional(link.statusText)],
                                after: ["linkID": .int(linkID.rawValue), "title": .string(link.title), "statusText": .optional(text)], at: at)
            let links = try TicketLinkRecord.list(id, db)
            guard let updated = links.first(where: { $0.id == linkID }) else { preconditionFailure("updated link not listed") }
            return TicketChange(value: updated, events: [.linksChanged(ticket, links: links)])
        }
    }

    /// Removes link `linkID` shown on ticket `id` (from either side of a ticket link). Needs
    /// `ticket.update`. Throws `.notFound` when the link is not on that ticket.
    public func removeLink(_ linkID: TicketLinkID, from id: TicketID, by actor: Actor) async throws -> CommandResult<TicketLinkID> {
        try require(.ticketUpdate, for: actor)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let ticket = try Self.visibleTicket(id, to: actor, db)
            guard let link = try TicketLinkRecord.list(id, db).first(where: { $0.id == linkID }) else {
                throw DomainError.notFound("Link")
            }
            try TicketLinkRecord.delete(linkID, db)
            let values: AuditLog.Values = ["linkID": .int(linkID.rawValue), "kind": .string(link.kind.rawValue),
                                           "title": .string(link.title), "url": .optional(link.url)]
            try AuditLog.record(db, ticket: id, actor: actor, action: .linkRemoved, before: values, after: nil, at: at)
            var events: [TicketEvent] = [.linksChanged(ticket, links: try TicketLinkRecord.list(id, db))]
            if let other = link.linkedTicket, let target = try TicketRecord.find(other.id, db) {
                var mirrored = values
                mirrored["title"] = .string("\(ticket.reference) \(ticket.subject)")
                try AuditLog.record(db, ticket: target.id, actor: actor, action: .linkRemoved, before: mirrored, after: nil, at: at)
                events.append(.linksChanged(target, links: try TicketLinkRecord.list(target.id, db)))
            }
            return TicketChange(value: linkID, events: events)
        }
    }
}
