import Foundation

/// The drafts one logged event causes, with what identifies its command: events of one
/// command share their time and their actor (they are written in one transaction).
struct CausedDrafts: Sendable, Equatable {
    let cause: Int64
    let at: Date
    let actorID: Int64?
    let actorName: String?
    let drafts: [NotificationDraft]
}

/// One bulk change, one notification: when a command by an agent touched several tickets
/// (a bulk update, a merge), each recipient who would hear about more than one of them gets
/// a single summary instead of one notification per ticket and kind. Pure.
enum NotificationGrouping {
    /// References named in a summary's title; the rest are counted.
    static let namedReferences = 3

    /// `items` in order, with the per-ticket drafts of each bulk command (`isBulk(at, actor)`)
    /// folded per recipient. Other commands are never folded, even when a frozen test clock
    /// gives two of them the same instant.
    static func collapse(_ items: [CausedDrafts], isBulk: (Date, Int64) throws -> Bool) rethrows
        -> [(Int64, Date, [NotificationDraft])]
    {
        var result: [(Int64, Date, [NotificationDraft])] = []
        var index = 0
        while index < items.count {
            var end = index + 1
            while end < items.count, items[end].at == items[index].at, items[end].actorID == items[index].actorID,
                  items[index].actorID != nil { end += 1 }
            let command = Array(items[index..<end])
            let bulk = try command.count > 1 && items[index].actorID.map { try isBulk(items[index].at, $0) } == true
            result += bulk ? fold(command) : command.map { ($0.cause, $0.at, $0.drafts) }
            index = end
        }
        return result
    }

    private static func fold(_ command: [CausedDrafts]) -> [(Int64, Date, [NotificationDraft])] {
        let tickets = Set(command.flatMap { $0.drafts.map(\.ticketID) })
        guard tickets.count > 1 else { return command.map { ($0.cause, $0.at, $0.drafts) } }
        var perRecipient: [AgentID: [(cause: Int64, draft: NotificationDraft)]] = [:]
        var order: [AgentID] = []
        for item in command {
            for draft in item.drafts {
                if perRecipient[draft.recipient] == nil { order.append(draft.recipient) }
                perRecipient[draft.recipient, default: []].append((item.cause, draft))
            }
        }
        var byCause: [Int64: [NotificationDraft]] = [:]
        for recipient in order {
            let drafts = perRecipient[recipient] ?? []
            let theirTickets = drafts.map(\.draft.ticketID).reduce(into: [TicketID]()) { if !$0.contains($1) { $0.append($1) } }
            if theirTickets.count > 1, let first = drafts.first {
                byCause[first.cause, default: []].append(summary(drafts.map(\.draft), tickets: theirTickets.count,
                                                                  by: command[0].actorName))
            } else {
                for (cause, draft) in drafts { byCause[cause, default: []].append(draft) }
            }
        }
        return command.compactMap { item in byCause[item.cause].map { (item.cause, item.at, $0) } }
    }

    private static func summary(_ drafts: [NotificationDraft], tickets count: Int, by actor: String?) -> NotificationDraft {
        var references: [String] = []
        for draft in drafts where !references.contains(draft.ticketReference) { references.append(draft.ticketReference) }
        let named = references.prefix(namedReferences).joined(separator: ", ")
        let rest = references.count > namedReferences ? " and \(references.count - namedReferences) more" : ""
        let kinds = Set(drafts.map(\.kind))
        // Being handed tickets is the news; their other changes come with them.
        let assigned = kinds.contains(.assigned)
        let what = assigned ? "assigned \(count) tickets to you" : "changed \(count) of your tickets"
        let first = drafts[0]
        return NotificationDraft(recipient: first.recipient, kind: assigned ? .assigned : first.kind,
                                 ticketID: first.ticketID, ticketReference: "\(count) tickets",
                                 title: "\(actor ?? "A colleague") \(what): \(named)\(rest)")
    }
}
