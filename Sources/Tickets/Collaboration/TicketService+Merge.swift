import Foundation

/// What a merge did: the primary afterwards, each secondary afterwards (Closed, merged into
/// the primary) and how many replies and notes moved.
public struct MergeOutcome: Sendable {
    public let primary: Ticket
    public let secondaries: [Ticket]
    public let movedMessages: Int
}

extension TicketService {
    /// Secondaries one merge accepts at most.
    public static let maxMergeSecondaries = 20

    /// Merges `secondaryIDs` into ticket `primaryID` in one transaction: every reply and note
    /// of each secondary moves to the primary with its author, time and attachments (the
    /// primary's thread is read in time order); watchers, tags and CC contacts are unioned; each secondary
    /// is Closed with `mergedIntoID` set; system messages on both sides and audit entries on
    /// both record it. Needs `ticket.update`.
    /// Throws `.validation("secondaryIds")` for an empty, oversized or repeated list, the
    /// primary itself, or an unknown secondary; `.conflict` when the primary or a secondary
    /// was already merged (which also refuses every cycle: a merged ticket never takes part
    /// again); `.validation("tags")` when the union has too many tags; `.notFound`, `.forbidden`.
    public func mergeTickets(into primaryID: TicketID, secondaries secondaryIDs: [TicketID], by actor: Actor) async throws
        -> CommandResult<MergeOutcome>
    {
        try require(.ticketUpdate, for: actor)
        try Self.checkMergeList(secondaryIDs, primary: primaryID)
        let at = now()
        return try await command(by: actor, at: at) { db in
            let primary = try Self.visibleTicket(primaryID, to: actor, db)
            if let target = primary.mergedIntoID {
                let reference = try TicketRecord.find(target, db)?.reference ?? "another ticket"
                throw DomainError(.conflict, "\(primary.reference) was merged into \(reference); merge into \(reference) instead.",
                                  field: "id")
            }
            let secondaries = try secondaryIDs.map { id in
                guard let ticket = try TicketRecord.find(id, db) else {
                    throw DomainError.validation("secondaryIds", "Ticket \(id) does not exist.")
                }
                if let target = ticket.mergedIntoID {
                    let reference = target == primaryID ? primary.reference : try TicketRecord.find(target, db)?.reference ?? "another ticket"
                    throw DomainError(.conflict, "\(ticket.reference) was already merged into \(reference).", field: "secondaryIds")
                }
                return ticket
            }
            let tags = Set(primary.tags).union(secondaries.flatMap(\.tags)).sorted()
            guard tags.count <= TicketRules.maxTags else {
                throw DomainError.validation("tags", "Together these tickets have \(tags.count) tags; at most \(TicketRules.maxTags) fit.")
            }
            var events: [TicketEvent] = []
            var merged: [(Ticket, [MessageID], Message)] = []
            for secondary in secondaries {
                let (closed, moved, secondaryEvents) = try Self.mergeOne(secondary, into: primary, by: actor, at: at, db)
                let note = try MessageRecord.insert(
                    ticket: primaryID, kind: .system, author: .system,
                    body: "\(secondary.reference) “\(secondary.subject)” was merged into this ticket: \(Self.count(moved.count)) moved here.",
                    attachments: [], at: at, db)
                try AuditLog.record(db, ticket: primaryID, actor: actor, action: .merged, before: nil,
                                    after: ["secondary": .string(secondary.reference), "secondaryID": .int(secondary.id.rawValue),
                                            "movedMessages": .int(Int64(moved.count))], at: at)
                events += secondaryEvents
                merged.append((closed, moved, note))
            }
            var next = try TicketRecord.load(primaryID, db)
            next.tags = tags
            next.updatedAt = at
            next.version += 1
            guard try TicketRecord.update(next, expectedVersion: next.version - 1, tagsChanged: tags != primary.tags, db) else {
                preconditionFailure("ticket version changed inside the write transaction")
            }
            var changes: [FieldChange] = []
            if tags != primary.tags {
                changes.append(FieldChange(field: .tags, before: .strings(primary.tags), after: .strings(tags)))
                try AuditLog.record(db, ticket: primaryID, actor: actor, action: .ticketUpdated, before: ["tags": .strings(primary.tags)],
                                    after: ["tags": .strings(tags)], at: at)
            }
            events.append(.ticketUpdated(next, changes))
            // The secondaries' CC contacts keep receiving replies: they are copied on the primary.
            let copied = try secondaries.flatMap { try CCRecord.list($0.id, db) }.map { (name: $0.name, address: $0.email) }
            if let ccs = try CCRecord.addAll(copied, to: next, by: actor, at: at, db) { events.append(.ccsChanged(next, ccs: ccs.map(\.id))) }
            for (closed, moved, note) in merged {
                events.append(.messageAdded(next, note))
                events.append(.merged(primary: next, secondary: closed, moved: moved))
            }
            let outcome = MergeOutcome(primary: next, secondaries: merged.map(\.0), movedMessages: merged.map(\.1.count).reduce(0, +))
            return TicketChange(value: outcome, events: events)
        }
    }

    /// Moves one secondary's replies, notes and watchers to `primary`, marks it merged and
    /// Closes it with a system message. Returns it afterwards, the moved message ids (in time
    /// order) and its events.
    private static func mergeOne(_ secondary: Ticket, into primary: Ticket, by actor: Actor, at: Date, _ db: Connection) throws
        -> (Ticket, [MessageID], [TicketEvent])
    {
        let moved = try MergeRecord.moveRepliesAndNotes(from: secondary.id, to: primary.id, db)
        try WatcherRecord.copy(from: secondary.id, to: primary.id, db)
        try TicketRecord.setMergedInto(secondary.id, primary: primary.id, at: at, db)
        let marked = try TicketRecord.load(secondary.id, db)
        let closing = try applyUpdate(TicketPatch(status: .closed), to: marked, action: .ticketUpdated, by: actor, at: at, db)
        var closed = closing.value
        var events = closing.events
        if closing.events.isEmpty { events.append(.ticketUpdated(closed, [])) }
        closed = try TicketRecord.load(secondary.id, db)
        let note = try MessageRecord.insert(
            ticket: secondary.id, kind: .system, author: .system,
            body: "Merged into \(primary.reference) “\(primary.subject)”: \(count(moved.count)) moved there.",
            attachments: [], at: at, db)
        try AuditLog.record(db, ticket: secondary.id, actor: actor, action: .mergedInto, before: nil,
                            after: ["primary": .string(primary.reference), "primaryID": .int(primary.id.rawValue),
                                    "movedMessages": .int(Int64(moved.count))], at: at)
        events.append(.messageAdded(closed, note))
        return (closed, moved, events)
    }

    private static func checkMergeList(_ ids: [TicketID], primary: TicketID) throws {
        guard !ids.isEmpty, ids.count <= maxMergeSecondaries else {
            throw DomainError.validation("secondaryIds", "List 1 to \(maxMergeSecondaries) tickets to merge.")
        }
        guard Set(ids).count == ids.count else { throw DomainError.validation("secondaryIds", "List each ticket once.") }
        guard !ids.contains(primary) else {
            throw DomainError.validation("secondaryIds", "A ticket cannot be merged into itself.")
        }
    }

    private static func count(_ messages: Int) -> String {
        messages == 1 ? "1 reply or note" : "\(messages) replies and notes"
    }
}
