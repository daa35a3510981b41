import Foundation

/// The pure ticket rules: validation, the transition table, and the one `apply` path that
/// turns a patch into the new ticket plus its field changes. No I/O, `now` is passed in.
enum TicketRules {
    static let maxSubjectLength = 250
    static let maxDescriptionLength = 100_000
    static let maxTags = 20
    static let maxTagLength = 50

    /// A trimmed subject, or `.validation("subject")`.
    static func subject(_ raw: String) throws -> String {
        let subject = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw DomainError.validation("subject", "Enter a subject.") }
        try TextLimit.check(subject, field: "subject", max: maxSubjectLength)
        guard subject.count <= maxSubjectLength else {
            throw DomainError.validation("subject", "Keep the subject under \(maxSubjectLength) characters.")
        }
        return subject
    }

    /// The description, or `.validation("description")` when too long.
    static func description(_ raw: String) throws -> String {
        try TextLimit.check(raw, field: "description", max: maxDescriptionLength)
        guard raw.count <= maxDescriptionLength else {
            throw DomainError.validation("description", "Keep the description under \(maxDescriptionLength) characters.")
        }
        return raw
    }

    /// Tags trimmed, lower-cased, de-duplicated and sorted; `.validation("tags")` when invalid.
    static func tags(_ raw: [String]) throws -> [String] {
        // Checked before de-duplicating, so a million copies of one tag costs nothing.
        guard raw.count <= maxTags else { throw DomainError.validation("tags", "Use at most \(maxTags) tags.") }
        for tag in raw { try TextLimit.check(tag, field: "tags", max: maxTagLength) }
        let tags = Set(raw.map { $0.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }.filter { !$0.isEmpty })
        guard tags.count <= maxTags else { throw DomainError.validation("tags", "Use at most \(maxTags) tags.") }
        for tag in tags where tag.count > maxTagLength || tag.contains(",") {
            throw DomainError.validation("tags", "Tags are up to \(maxTagLength) characters without commas.")
        }
        return tags.sorted()
    }

    /// Applies `patch` to `ticket` at `now`: validates, enforces the transition table (and that
    /// a Closed ticket only reopens, with no other change in the same patch), stamps
    /// resolved/closed times (cleared again on reopening), bumps `version` and `updatedAt`
    /// when anything changed. Returns the new ticket and the changes (empty: nothing changed).
    /// `requester` is the contact `patch.requester` resolved to (the caller looks it up).
    static func apply(_ patch: TicketPatch, to ticket: Ticket, now: Date, requester: ContactID? = nil) throws -> (Ticket, [FieldChange]) {
        var next = ticket
        var changes: [FieldChange] = []
        func note(_ field: TicketField, _ before: AuditValue, _ after: AuditValue) {
            if before != after { changes.append(FieldChange(field: field, before: before, after: after)) }
        }
        if let raw = patch.subject { next.subject = try subject(raw) }
        note(.subject, .string(ticket.subject), .string(next.subject))
        if let raw = patch.description { next.description = try description(raw) }
        note(.description, .string(ticket.description), .string(next.description))
        if let status = patch.status, status != ticket.status {
            guard ticket.status.canTransition(to: status) else {
                throw DomainError.validation(
                    "status", "A \(ticket.status.displayName) ticket cannot move to \(status.displayName).")
            }
            next.status = status
            stampStatus(&next, now: now)
        }
        note(.status, .string(ticket.status.rawValue), .string(next.status.rawValue))
        if let priority = patch.priority { next.priority = priority }
        note(.priority, .string(ticket.priority.rawValue), .string(next.priority.rawValue))
        if let category = patch.category { next.category = category }
        note(.category, .string(ticket.category.rawValue), .string(next.category.rawValue))
        if let channel = patch.channel { next.channel = channel }
        note(.channel, .string(ticket.channel.rawValue), .string(next.channel.rawValue))
        // A due date equal to the current one as stored and audited (to the second) is no
        // change: a form sending back what it showed must not rewrite it or log anything.
        if let dueAt = patch.dueAt, AuditValue.date(dueAt) != AuditValue.date(ticket.dueAt) { next.dueAt = dueAt }
        note(.dueAt, .date(ticket.dueAt), .date(next.dueAt))
        if let assignee = patch.assigneeID { next.assigneeID = assignee }
        note(.assignee, agentValue(ticket.assigneeID), agentValue(next.assigneeID))
        if let raw = patch.tags { next.tags = try tags(raw) }
        note(.tags, .strings(ticket.tags), .strings(next.tags))
        if let requester { next.requesterID = requester }
        note(.requester, .int(ticket.requesterID.rawValue), .int(next.requesterID.rawValue))
        if ticket.status == .closed, !changes.isEmpty, changes.contains(where: { $0.field != .status }) || next.status != .open {
            throw closedTicket(ticket)
        }
        if !changes.isEmpty {
            next.version += 1
            next.updatedAt = now
        }
        return (next, changes)
    }

    /// The refusal of any change to a Closed ticket but reopening it: Closed means archived
    /// (the product's definition), so replies, notes, field edits and SLA changes wait for a
    /// reopen (status `open`), which is a change of its own.
    static func closedTicket(_ ticket: Ticket) -> DomainError {
        DomainError(.conflict, "\(ticket.reference) is closed (archived): reopen it (status open) before changing it.",
                    field: "status")
    }

    /// Resolved and Closed stamp their time; moving back to a working status clears both.
    static func stampStatus(_ ticket: inout Ticket, now: Date) {
        switch ticket.status {
        case .resolved: ticket.resolvedAt = now; ticket.closedAt = nil
        case .closed: ticket.closedAt = now; if ticket.resolvedAt == nil { ticket.resolvedAt = now }
        case .open, .pending, .inProgress, .onHold: ticket.resolvedAt = nil; ticket.closedAt = nil
        }
    }

    /// The events for an applied update, in order: the update, then status, then assignment.
    static func events(for ticket: Ticket, before: Ticket, changes: [FieldChange]) -> [TicketEvent] {
        guard !changes.isEmpty else { return [] }
        var events: [TicketEvent] = [.ticketUpdated(ticket, changes)]
        if before.status != ticket.status { events.append(.statusChanged(ticket, from: before.status, to: ticket.status)) }
        if before.assigneeID != ticket.assigneeID {
            events.append(.assigned(ticket, from: before.assigneeID, to: ticket.assigneeID))
        }
        return events
    }

    static func agentValue(_ id: AgentID?) -> AuditValue { id.map { .int($0.rawValue) } ?? .null }
}
