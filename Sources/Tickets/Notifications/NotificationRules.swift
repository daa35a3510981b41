/// Who hears about a ticket event: a pure function of the event, who caused it and who
/// watches the ticket. Nobody is notified of their own action. Titles name who did it
/// when an agent did ("Ada Admin assigned TKT-7 to you: …").
public enum NotificationRules {
    /// The notifications `event` causes when `actor` made it and `watchers` follow the ticket.
    public static func drafts(for event: TicketEvent, by actor: Actor, watchers: [AgentID] = [],
                              mentionable: [Mentionable] = []) -> [NotificationDraft] {
        var name: String?
        if case .agent(let principal) = actor { name = principal.agent.name }
        return drafts(for: event, byAgent: actor.agentID, named: name, watchers: watchers, mentionable: mentionable)
    }

    /// The notifications `event` causes when agent `actor` (nil: a requester or the system)
    /// named `actorName` made it, `watchers` follow the ticket and `mentionable` are the
    /// active agents a note may mention.
    public static func drafts(for event: TicketEvent, byAgent actorAgent: AgentID?, named actorName: String? = nil,
                              watchers: [AgentID] = [], mentionable: [Mentionable] = []) -> [NotificationDraft] {
        let who = actorAgent == nil ? nil : actorName
        switch event {
        case .assigned(let ticket, _, let to):
            guard let to, to != actorAgent else { return [] }
            let title = who.map { "\($0) assigned \(ticket.reference) to you: \(ticket.subject)" }
                ?? "\(ticket.reference) was assigned to you: \(ticket.subject)"
            return [draft(to, .assigned, ticket, title)]
        case .messageAdded(let ticket, let message) where message.kind == .note:
            var author: AgentID?
            if case .agent(let id) = message.author { author = id }
            let title = "\(who ?? "A colleague") mentioned you on \(ticket.reference): \(ticket.subject)"
            return Mentions.find(in: message.body, among: mentionable).filter { $0 != (author ?? actorAgent) }
                .map { draft($0, .mentioned, ticket, title) }
        case .messageAdded(let ticket, let message):
            guard message.kind == .reply else { return [] }
            let title: String = switch message.author {
            case .requester: "The customer replied on \(ticket.reference): \(ticket.subject)"
            case .agent, .system: who.map { "\($0) replied on \(ticket.reference): \(ticket.subject)" }
                ?? "New reply on \(ticket.reference): \(ticket.subject)"
            }
            var author: AgentID?
            if case .agent(let id) = message.author { author = id }
            return followers(ticket, watchers, excluding: author ?? actorAgent).map { draft($0, .reply, ticket, title) }
        case .statusChanged(let ticket, _, let to):
            let title = who.map { "\($0) set \(ticket.reference) to \(to.displayName): \(ticket.subject)" }
                ?? "\(ticket.reference) is now \(to.displayName): \(ticket.subject)"
            return followers(ticket, watchers, excluding: actorAgent).map { draft($0, .statusChanged, ticket, title) }
        case .emailFailed(let ticket, let failure):
            // The agent whose reply bounced, even when the failure is recorded "by" the system.
            guard let sender = failure.senderAgentID else { return [] }
            return [draft(sender, .emailFailed, ticket, "Your reply on \(ticket.reference) could not be delivered to \(failure.recipient)")]
        case .ticketCreated, .ticketUpdated, .ticketDeleted, .merged, .watchersChanged, .linksChanged, .accessLinkChanged, .ccsChanged:
            return []
        }
    }

    /// The assignee's notification for an SLA warning or breach on `ticket`; nil when unassigned.
    public static func draft(for event: SLAEvent, _ ticket: Ticket) -> NotificationDraft? {
        guard let assignee = ticket.assigneeID else { return nil }
        return switch event {
        case .warning(_, let metric, _):
            draft(assignee, .slaWarning, ticket, "\(ticket.reference) is close to its \(metric.displayName) target: \(ticket.subject)")
        case .breached(_, let metric, _):
            draft(assignee, .slaBreached, ticket, "\(ticket.reference) breached its \(metric.displayName) target: \(ticket.subject)")
        }
    }

    /// Scores at or below this stand out in the notification's title.
    public static let lowRating = 2

    /// The notifications of a survey answer on `ticket`: to the agent who resolved it and
    /// the assignee, once each. A low score leads the title so it stands out in the feed.
    public static func drafts(forRating survey: Survey, _ ticket: Ticket, changed: Bool = false) -> [NotificationDraft] {
        guard let rating = survey.rating else { return [] }
        let title = changed
            ? (rating <= lowRating ? "Low rating: changed to \(rating) of 5 on \(ticket.reference): \(ticket.subject)"
                                   : "Rating changed to \(rating) of 5 on \(ticket.reference): \(ticket.subject)")
            : rating <= lowRating
            ? "Low rating: \(rating) of 5 on \(ticket.reference): \(ticket.subject)"
            : "Rated \(rating) of 5 on \(ticket.reference): \(ticket.subject)"
        var recipients: [AgentID] = []
        for id in [survey.resolvedBy, ticket.assigneeID].compactMap({ $0 }) where !recipients.contains(id) { recipients.append(id) }
        return recipients.map { draft($0, .csatRated, ticket, title) }
    }

    /// The assignee and the watchers, once each, without `excluded`.
    private static func followers(_ ticket: Ticket, _ watchers: [AgentID], excluding excluded: AgentID?) -> [AgentID] {
        var seen: [AgentID] = []
        for id in [ticket.assigneeID].compactMap({ $0 }) + watchers where id != excluded && !seen.contains(id) {
            seen.append(id)
        }
        return seen
    }

    private static func draft(_ recipient: AgentID, _ kind: NotificationKind, _ ticket: Ticket, _ title: String) -> NotificationDraft {
        NotificationDraft(recipient: recipient, kind: kind, ticketID: ticket.id, ticketReference: ticket.reference, title: title)
    }
}
