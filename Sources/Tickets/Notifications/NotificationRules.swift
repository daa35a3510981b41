/// Who hears about a ticket event: a pure function of the event, who caused it and who
/// watches the ticket. Nobody is notified of their own action.
public enum NotificationRules {
    /// The notifications `event` causes when `actor` made it and `watchers` follow the ticket.
    public static func drafts(for event: TicketEvent, by actor: Actor, watchers: [AgentID] = []) -> [NotificationDraft] {
        drafts(for: event, byAgent: actor.agentID, watchers: watchers)
    }

    /// The notifications `event` causes when agent `actor` (nil: a requester or the system)
    /// made it and `watchers` follow the ticket.
    public static func drafts(for event: TicketEvent, byAgent actorAgent: AgentID?, watchers: [AgentID] = []) -> [NotificationDraft] {
        switch event {
        case .assigned(let ticket, _, let to):
            guard let to, to != actorAgent else { return [] }
            return [draft(to, .assigned, ticket, "\(ticket.reference) was assigned to you: \(ticket.subject)")]
        case .messageAdded(let ticket, let message):
            guard message.kind == .reply else { return [] }
            let title: String = switch message.author {
            case .requester: "The customer replied on \(ticket.reference): \(ticket.subject)"
            case .agent, .system: "New reply on \(ticket.reference): \(ticket.subject)"
            }
            var author: AgentID?
            if case .agent(let id) = message.author { author = id }
            return followers(ticket, watchers, excluding: author ?? actorAgent).map { draft($0, .reply, ticket, title) }
        case .statusChanged(let ticket, _, let to):
            let title = "\(ticket.reference) is now \(to.displayName): \(ticket.subject)"
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
