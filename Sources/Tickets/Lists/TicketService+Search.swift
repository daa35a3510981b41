import Foundation

/// What the search box shows for some typed text.
public struct TicketSearchResult: Sendable {
    /// The ticket whose reference the text is (`TKT-289`, `289`, `#289`), when it exists:
    /// the search box opens it directly.
    public let exact: Ticket?
    /// Requesters whose name or email match, newest first, at most `TicketService.searchContactLimit`.
    public let contacts: [Contact]
    /// Matching tickets, the exact hit first, then by latest activity: the same matches as
    /// the list page's `text` filter (`TicketFilter.text`).
    public let tickets: [Ticket]
}

extension TicketService {
    /// How many requesters a search result names.
    public static let searchContactLimit = 5
    /// The most tickets one search answers with (the list page shows the rest).
    public static let searchLimit = 50

    /// Tickets matching `text` for the search box, the merge dialog and the link field: by
    /// reference, by requester name or email, and by words (`TicketFilter.text`), at most
    /// `limit` (1...`searchLimit`). Empty text gives an empty result. Needs `ticket.view`.
    /// Throws `.validation("q")` for text over `FieldLimits.searchText` or with NUL, `.forbidden`.
    public func search(_ text: String, limit: Int = 10, for viewer: Actor) async throws -> TicketSearchResult {
        try require(.ticketView, for: viewer)
        try TextLimit.check(text, field: "q", max: FieldLimits.searchText)
        guard let search = TicketSearchText(text) else { return TicketSearchResult(exact: nil, contacts: [], tickets: []) }
        let limit = min(max(limit, 1), Self.searchLimit)
        let filter = { var filter = TicketFilter(); filter.text = text; return filter }()
        let agent = viewer.agentID
        return try await database.read { db in
            let exact = try search.number.flatMap { try TicketRecord.find(number: $0, db) }
            let planner = TicketListPlanner.for(db)
            let contactIDs = try planner.contactIDs(search, limit: Self.searchContactLimit, db)
            let contacts = try contactIDs.compactMap { try ContactStore.find(ContactID($0), db) }
            let query = try planner.query(filter, viewer: agent, purpose: .page, textMatches: nil, db)
            var (tickets, _) = try TicketListRecord.page(query, sort: TicketSort(), after: nil, limit: limit, db)
            if let exact {
                tickets.removeAll { $0.id == exact.id }
                tickets.insert(exact, at: 0)
                if tickets.count > limit { tickets.removeLast() }
            }
            return TicketSearchResult(exact: exact, contacts: contacts, tickets: tickets)
        }
    }
}
